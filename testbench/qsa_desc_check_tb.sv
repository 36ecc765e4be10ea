// Self-checking testbench of qsa_desc_check against the C++ reference model.
//
// Reads the vectors named by +vectors=<file>, written by tests/tb_vectors/gen_desc_vectors.cc
// (see its header for the line format): per case the build, first_i, prev_h/w/c_i, the
// K_OVERRIDE nibble, the 64 descriptor bytes, and the expected err_o / err_cause_o with, when
// there is no error, every decoded field and the plan (from PlanLayer).
//
// Two builds are instantiated: u_dut0 with the default parameters (A = 32768, O = 8192,
// VecRows = 256, Pes = 8) and u_dut1 with small ones (A = 2048, O = 512, VecRows = 24, Pes = 3),
// where DESC_LIMIT is frequent. Each case starts the DUT of its build and checks:
// - done_o pulses exactly once, for one cycle, within the watchdog; the other DUT stays idle;
// - err_o and err_cause_o, and, without an error, every decoded and plan output;
// - on some cases desc_i and the other inputs are scrambled while the check runs (they are
//   sampled in the start cycle) and a second start_i is pulsed while busy (ignored);
// - after done_o the inputs are scrambled and the outputs must hold for several cycles.
// Stops with $fatal at the first mismatch, naming the case, the field, expected and got.
module qsa_desc_check_tb;

  localparam int Vpf0 = $clog2(256 + 1);
  localparam int Vpf1 = $clog2(24 + 1);
  localparam int MaxCycles = 2000;  // per check; the DUT needs about 250

  logic clk = 1'b0;
  logic rst_n;
  always #5 clk = ~clk;

  // Shared inputs, one start per DUT.
  logic         start0, start1;
  logic [511:0] desc;
  logic         first;
  logic [15:0]  prev_h, prev_w, prev_c;
  logic         k_en;
  logic [2:0]   k_ovr;

  // Outputs of each DUT.
  logic        done0, err0, done1, err1;
  logic [7:0]  cause0, cause1;
  logic        bits3_0, chan_0, relu_0, pool_0, fc_0, bits3_1, chan_1, relu_1, pool_1, fc_1;
  logic [6:0]  n0, n1;
  logic [2:0]  k0, k1;
  logic [3:0]  kh0, kw0, st0, pt0, pl0, pb0, pr0, kh1, kw1, st1, pt1, pl1, pb1, pr1;
  logic [4:0]  sh0, sh1;
  logic [12:0] ih0, iw0, ic0, oc0, ih1, iw1, ic1, oc1;
  logic [13:0] fan0, fan1;
  logic [Vpf0-1:0] vpf0;
  logic [Vpf1-1:0] vpf1;
  logic [12:0] ch0, cw0, ph0, pw0, oh0, ow0, ch1, cw1, ph1, pw1, oh1, ow1;
  logic [31:0] rb0, ob0, rb1, ob1;
  logic [12:0] t0, t1;
  logic [31:0] co0, ao0, bo0, vc0, co1, ao1, bo1, vc1;

  qsa_desc_check u_dut0 (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start0), .desc_i(desc), .first_i(first),
    .prev_h_i(prev_h), .prev_w_i(prev_w), .prev_c_i(prev_c), .k_ovr_en_i(k_en), .k_ovr_i(k_ovr),
    .done_o(done0), .err_o(err0), .err_cause_o(cause0),
    .bits3_o(bits3_0), .chanwise_o(chan_0), .relu_o(relu_0), .pool_o(pool_0), .fc_o(fc_0),
    .vec_len_o(n0), .k_o(k0), .kh_o(kh0), .kw_o(kw0), .stride_o(st0), .pad_t_o(pt0),
    .pad_l_o(pl0), .pad_b_o(pb0), .pad_r_o(pr0), .shift_o(sh0), .in_h_o(ih0), .in_w_o(iw0),
    .in_c_o(ic0), .out_c_o(oc0), .fan_in_o(fan0), .vpf_o(vpf0), .conv_h_o(ch0),
    .conv_w_o(cw0), .comp_h_o(ph0), .comp_w_o(pw0), .out_h_o(oh0), .out_w_o(ow0),
    .row_bytes_o(rb0), .out_row_bytes_o(ob0), .band_rows_o(t0), .codes_off_o(co0),
    .alpha_off_o(ao0), .bias_off_o(bo0), .vec_count_o(vc0)
  );

  qsa_desc_check #(.ActBufBytes(2048), .OutBufBytes(512), .VecRows(24), .Pes(3)) u_dut1 (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start1), .desc_i(desc), .first_i(first),
    .prev_h_i(prev_h), .prev_w_i(prev_w), .prev_c_i(prev_c), .k_ovr_en_i(k_en), .k_ovr_i(k_ovr),
    .done_o(done1), .err_o(err1), .err_cause_o(cause1),
    .bits3_o(bits3_1), .chanwise_o(chan_1), .relu_o(relu_1), .pool_o(pool_1), .fc_o(fc_1),
    .vec_len_o(n1), .k_o(k1), .kh_o(kh1), .kw_o(kw1), .stride_o(st1), .pad_t_o(pt1),
    .pad_l_o(pl1), .pad_b_o(pb1), .pad_r_o(pr1), .shift_o(sh1), .in_h_o(ih1), .in_w_o(iw1),
    .in_c_o(ic1), .out_c_o(oc1), .fan_in_o(fan1), .vpf_o(vpf1), .conv_h_o(ch1),
    .conv_w_o(cw1), .comp_h_o(ph1), .comp_w_o(pw1), .out_h_o(oh1), .out_w_o(ow1),
    .row_bytes_o(rb1), .out_row_bytes_o(ob1), .band_rows_o(t1), .codes_off_o(co1),
    .alpha_off_o(ao1), .bias_off_o(bo1), .vec_count_o(vc1)
  );

  // The outputs of the selected build, as 32-bit values in the file's field order (34 fields
  // after err/cause).
  logic        sel;
  logic        cur_done, cur_err, other_done;
  logic [31:0] cur_cause;
  logic [31:0] got [34];

  assign cur_done   = sel ? done1 : done0;
  assign other_done = sel ? done0 : done1;
  assign cur_err    = sel ? err1 : err0;
  assign cur_cause  = 32'(sel ? cause1 : cause0);
  assign got[0]  = 32'(sel ? bits3_1 : bits3_0);
  assign got[1]  = 32'(sel ? chan_1 : chan_0);
  assign got[2]  = 32'(sel ? relu_1 : relu_0);
  assign got[3]  = 32'(sel ? pool_1 : pool_0);
  assign got[4]  = 32'(sel ? fc_1 : fc_0);
  assign got[5]  = 32'(sel ? n1 : n0);
  assign got[6]  = 32'(sel ? k1 : k0);
  assign got[7]  = 32'(sel ? kh1 : kh0);
  assign got[8]  = 32'(sel ? kw1 : kw0);
  assign got[9]  = 32'(sel ? st1 : st0);
  assign got[10] = 32'(sel ? pt1 : pt0);
  assign got[11] = 32'(sel ? pl1 : pl0);
  assign got[12] = 32'(sel ? pb1 : pb0);
  assign got[13] = 32'(sel ? pr1 : pr0);
  assign got[14] = 32'(sel ? sh1 : sh0);
  assign got[15] = 32'(sel ? ih1 : ih0);
  assign got[16] = 32'(sel ? iw1 : iw0);
  assign got[17] = 32'(sel ? ic1 : ic0);
  assign got[18] = 32'(sel ? oc1 : oc0);
  assign got[19] = 32'(sel ? fan1 : fan0);
  assign got[20] = sel ? 32'(vpf1) : 32'(vpf0);
  assign got[21] = 32'(sel ? ch1 : ch0);
  assign got[22] = 32'(sel ? cw1 : cw0);
  assign got[23] = 32'(sel ? ph1 : ph0);
  assign got[24] = 32'(sel ? pw1 : pw0);
  assign got[25] = 32'(sel ? oh1 : oh0);
  assign got[26] = 32'(sel ? ow1 : ow0);
  assign got[27] = sel ? rb1 : rb0;
  assign got[28] = sel ? ob1 : ob0;
  assign got[29] = 32'(sel ? t1 : t0);
  assign got[30] = sel ? co1 : co0;
  assign got[31] = sel ? ao1 : ao0;
  assign got[32] = sel ? bo1 : bo0;
  assign got[33] = sel ? vc1 : vc0;

  string names [34];
  initial begin
    names[0] = "bits3";       names[1] = "chanwise";   names[2] = "relu";
    names[3] = "pool";        names[4] = "fc";         names[5] = "vec_len";
    names[6] = "k";           names[7] = "kh";         names[8] = "kw";
    names[9] = "stride";      names[10] = "pad_t";     names[11] = "pad_l";
    names[12] = "pad_b";      names[13] = "pad_r";     names[14] = "shift";
    names[15] = "in_h";       names[16] = "in_w";      names[17] = "in_c";
    names[18] = "out_c";      names[19] = "fan_in";    names[20] = "vpf";
    names[21] = "conv_h";     names[22] = "conv_w";    names[23] = "comp_h";
    names[24] = "comp_w";     names[25] = "out_h";     names[26] = "out_w";
    names[27] = "row_bytes";  names[28] = "out_row_bytes"; names[29] = "band_rows";
    names[30] = "codes_off";  names[31] = "alpha_off"; names[32] = "bias_off";
    names[33] = "vec_count";
  end

  // ---------------------------------------------------------------------------------------
  // Scrambling (xorshift32)
  // ---------------------------------------------------------------------------------------
  logic [31:0] lfsr = 32'h1234_5678;

  task automatic next_rand;
    lfsr = qsa_tb_pkg::xorshift32(lfsr);
  endtask

  task automatic scramble_inputs;
    for (int i = 0; i < 16; i++) begin
      next_rand;
      desc[i*32 +: 32] = lfsr;
    end
    next_rand;
    prev_h = lfsr[15:0];
    prev_w = lfsr[31:16];
    next_rand;
    prev_c = lfsr[15:0];
    first  = lfsr[16];
    k_en   = lfsr[17];
    k_ovr  = lfsr[20:18];
  endtask

  // ---------------------------------------------------------------------------------------
  // Checking
  // ---------------------------------------------------------------------------------------
  string       path;
  int          fd;
  int          n_read;
  int          cases;
  int          checks;
  int          waited;
  int          done_seen;
  logic [31:0] v_build, v_first, v_ph, v_pw, v_pc, v_ken, v_kovr;
  logic [511:0] v_desc;
  logic [31:0] v_err, v_cause;
  logic [31:0] e [34];
  int          count_by_err [2];

  task automatic fail(input string what);
    $fatal(1, "FAIL qsa_desc_check_tb: case %0d (build %0d, desc %h, first %0d, prev %0d x %0d x %0d): %s",
           cases, v_build, v_desc, v_first, v_ph, v_pw, v_pc, what);
  endtask

  task automatic check_outputs(input string when);
    if (cur_err !== v_err[0] || cur_cause !== v_cause) begin
      fail($sformatf("%s: expected err=%0d cause=0x%02h, got err=%0d cause=0x%02h", when,
                     v_err[0], v_cause, cur_err, cur_cause));
    end
    checks++;
    if (!v_err[0]) begin
      for (int f = 0; f < 34; f++) begin
        if (got[f] !== e[f]) begin
          fail($sformatf("%s: %s expected %0d (0x%h), got %0d (0x%h)", when, names[f], e[f],
                         e[f], got[f], got[f]));
        end
        checks++;
      end
    end
  endtask

  initial begin
    if (!$value$plusargs("vectors=%s", path)) begin
      $fatal(1, "FAIL qsa_desc_check_tb: no vector file, run with +vectors=<file>");
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $fatal(1, "FAIL qsa_desc_check_tb: cannot open %s", path);
    end
    cases  = 0;
    checks = 0;
    count_by_err[0] = 0;
    count_by_err[1] = 0;
    sel    = 1'b0;
    start0 = 1'b0;
    start1 = 1'b0;
    desc   = '0;
    first  = 1'b0;
    prev_h = '0;
    prev_w = '0;
    prev_c = '0;
    k_en   = 1'b0;
    k_ovr  = '0;
    rst_n  = 1'b0;
    repeat (2) @(negedge clk);
    if (done0 !== 1'b0 || err0 !== 1'b0 || cause0 !== 8'h00 || done1 !== 1'b0) begin
      $fatal(1, "FAIL qsa_desc_check_tb: outputs not idle in reset");
    end
    rst_n = 1'b1;
    @(negedge clk);

    // Icarus 11 has no `break`: the loop runs while the last read found a whole case.
    n_read = $fscanf(fd, "%h %h %h %h %h %h %h %h", v_build, v_first, v_ph, v_pw, v_pc, v_ken,
                     v_kovr, v_desc);
    while (n_read > 0) begin
      if (n_read != 8) fail("malformed inputs in the vector file");
      n_read = $fscanf(fd, "%h %h", v_err, v_cause);
      if (n_read != 2) fail("malformed err/cause in the vector file");
      for (int f = 0; f < 34; f++) begin
        n_read = $fscanf(fd, "%h", e[f]);
        if (n_read != 1) fail("malformed expected fields in the vector file");
      end
      if (v_build > 1) fail("build out of range");
      cases++;
      count_by_err[v_err[0]]++;

      // Drive and start (inputs change on the falling edge).
      sel    = v_build[0];
      desc   = v_desc;
      first  = v_first[0];
      prev_h = v_ph[15:0];
      prev_w = v_pw[15:0];
      prev_c = v_pc[15:0];
      k_en   = v_ken[0];
      k_ovr  = v_kovr[2:0];
      start0 = !sel;
      start1 = sel;
      @(negedge clk);
      start0 = 1'b0;
      start1 = 1'b0;
      // One case in four: the inputs change while the check runs, and one in eight also
      // pulses start_i while busy; neither may change the result.
      if (cases % 4 == 1) scramble_inputs;
      waited    = 0;
      done_seen = 0;
      while (done_seen == 0) begin
        @(negedge clk);
        waited++;
        if (cases % 8 == 1 && waited == 5) begin
          start0 = !sel;
          start1 = sel;
        end else begin
          start0 = 1'b0;
          start1 = 1'b0;
        end
        if (other_done !== 1'b0) fail("the other build's done_o pulsed");
        if (cur_done === 1'b1) done_seen = 1;
        if (waited > MaxCycles) fail("no done_o within the watchdog");
      end
      start0 = 1'b0;
      start1 = 1'b0;
      check_outputs("at done_o");

      // done_o is a one-cycle pulse; the outputs hold while the inputs change.
      scramble_inputs;
      @(negedge clk);
      if (cur_done !== 1'b0) fail("done_o longer than one cycle");
      scramble_inputs;
      @(negedge clk);
      @(negedge clk);
      if (cur_done !== 1'b0 || other_done !== 1'b0) fail("done_o pulsed again without start_i");
      check_outputs("3 cycles after done_o");

      n_read = $fscanf(fd, "%h %h %h %h %h %h %h %h", v_build, v_first, v_ph, v_pw, v_pc,
                       v_ken, v_kovr, v_desc);
    end
    $fclose(fd);

    if (cases == 0) begin
      $fatal(1, "FAIL qsa_desc_check_tb: no vectors in %s", path);
    end
    $display("PASS qsa_desc_check_tb: %0d cases from %s (%0d planned, %0d refused), %0d checks",
             cases, path, count_by_err[0], count_by_err[1], checks);
    $finish;
  end

endmodule
