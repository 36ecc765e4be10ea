// Self-checking testbench of qsa_zero_skip (MaxVec = 64, Lanes = 8 by default; the tb
// parameters can be overridden for a sweep).
//
// NumVec random vectors from a fixed-seed xorshift32: length 1..MaxVec (1 and MaxVec weighted
// up), both code widths, density all-zero / all-nonzero / uniform 0..100 %, reserved codes in
// about one vector in six (inside or only beyond len), random codes beyond len (they must be
// ignored; in 2-bit mode the unused upper bit is random too). ready_i is random per cycle with
// a per-vector acceptance rate (100 %, ~75 %, ~50 %, ~12 %). About one vector in four is
// started back-to-back with the previous one's last group, a few abort a vector in flight
// (start_i has priority) and some are followed by idle cycles.
//
// A behavioural reference (the list of nonzero-code indices within len, reserved codes
// counting as zero) gives the expected groups. Every cycle checks valid_o / busy_o / last_o,
// each lane's idx_o and lane_en_o against the next expected group, nnz_o, reserved_o and the
// empty_o pulse; a vector must take exactly ceil(nnz / Lanes) accepted groups (valid_o in every
// cycle until then, idle right after).
module qsa_zero_skip_tb #(
  parameter int MaxVec = 64,
  parameter int Lanes = 8,
  parameter int NumVec = 4000
);

  localparam int CodeW    = 3;
  localparam int IdxWidth = $clog2(MaxVec);
  localparam int LenWidth = $clog2(MaxVec + 1);

  logic                      clk = 1'b0;
  logic                      rst_n;
  logic                      start;
  logic [MaxVec*CodeW-1:0]   codes;
  logic [LenWidth-1:0]       len;
  logic                      bits3;
  logic                      ready;
  logic                      valid;
  logic [Lanes*IdxWidth-1:0] idx;
  logic [Lanes-1:0]          lane_en;
  logic                      last;
  logic                      busy;
  logic                      empty;
  logic [LenWidth-1:0]       nnz;
  logic                      reserved;

  qsa_zero_skip #(.MaxVec(MaxVec), .Lanes(Lanes)) u_dut (
    .clk_i     (clk),
    .rst_ni    (rst_n),
    .start_i   (start),
    .codes_i   (codes),
    .len_i     (len),
    .bits3_i   (bits3),
    .ready_i   (ready),
    .valid_o   (valid),
    .idx_o     (idx),
    .lane_en_o (lane_en),
    .last_o    (last),
    .busy_o    (busy),
    .empty_o   (empty),
    .nnz_o     (nnz),
    .reserved_o(reserved)
  );

  always #5 clk = ~clk;

  // Watchdog: far more than NumVec vectors can need at the slowest ready rate.
  initial begin
    #(64'd2000 * NumVec * 10);
    $fatal(1, "FAIL qsa_zero_skip_tb: watchdog expired");
  end

  // ---------------------------------------------------------------------------------------
  // Random numbers and the reference
  // ---------------------------------------------------------------------------------------
  logic [31:0] lfsr;

  task automatic next_rand;
    lfsr = qsa_tb_pkg::xorshift32(lfsr);
  endtask

  // Next vector (generated ahead, so it can be started back-to-back).
  logic [MaxVec*CodeW-1:0] nxt_codes;
  logic [LenWidth-1:0]     nxt_len;
  logic                    nxt_bits3;
  int                      nxt_list[MaxVec];
  int                      nxt_nnz;
  logic                    nxt_rsv;
  // Vector being checked.
  int                      cur_list[MaxVec];
  int                      cur_nnz;
  logic                    cur_rsv;
  logic [LenWidth-1:0]     cur_len;
  logic                    cur_bits3;

  int maxv;  // MaxVec in a variable: keeps Verilator from unrolling the loops

  // A random code of the given class in the given mode: 0 zero, 1 nonzero, 2 reserved.
  task automatic rand_code(input int cls, input logic b3, output logic [2:0] code);
    logic [31:0] r;
    next_rand;
    r = lfsr;
    if (b3) begin
      if (cls == 0) code = 3'b000;
      else if (cls == 2) code = 3'b111;
      else code = 3'(1 + (r[15:0] % 16'd6));  // 001 .. 110
    end else begin
      if (cls == 0) code = {r[20], 2'b00};
      else if (cls == 2) code = {r[20], 2'b11};
      else code = {r[20], r[21] ? 2'b01 : 2'b10};
    end
  endtask

  task automatic gen_vec;
    int          l;
    int          dens;      // percent of nonzero codes within len
    int          rsv_mode;  // 0 none, 1 some reserved within len, 2 reserved only beyond len
    int          cls;
    logic [2:0]  code;
    logic [31:0] r;
    next_rand;
    r = lfsr;
    case (r[2:0])
      3'd0:    l = 1;
      3'd1:    l = maxv;
      default: l = 1 + int'(r[31:16] % 16'(maxv));
    endcase
    nxt_len   = LenWidth'(l);
    nxt_bits3 = r[3];
    case (r[7:5])
      3'd0:    dens = 0;
      3'd1:    dens = 100;
      default: dens = int'(r[14:8] % 7'd101);
    endcase
    next_rand;
    r = lfsr;
    if (r[2:0] == 3'd0) rsv_mode = 1;
    else if (r[5:3] == 3'd0) rsv_mode = 2;
    else rsv_mode = 0;
    nxt_nnz = 0;
    nxt_rsv = 1'b0;
    for (int j = 0; j < maxv; j++) begin
      next_rand;
      r = lfsr;
      if (j < l) begin
        if (rsv_mode == 1 && r[3:0] == 4'd0) cls = 2;
        else if (int'(r[22:16] % 7'd100) < dens) cls = 1;
        else cls = 0;
      end else begin
        // Beyond len: anything, reserved codes weighted up when rsv_mode = 2.
        if (rsv_mode == 2 && r[1:0] == 2'd0) cls = 2;
        else cls = int'(r[9:8] % 2'd3);
      end
      rand_code(cls, nxt_bits3, code);
      nxt_codes[j*CodeW +: CodeW] = code;
      if (j < l) begin
        if (cls == 1) begin
          nxt_list[nxt_nnz] = j;
          nxt_nnz++;
        end
        if (cls == 2) nxt_rsv = 1'b1;
      end
    end
  endtask

  task automatic take_next;
    for (int j = 0; j < maxv; j++) cur_list[j] = nxt_list[j];
    cur_nnz   = nxt_nnz;
    cur_rsv   = nxt_rsv;
    cur_len   = nxt_len;
    cur_bits3 = nxt_bits3;
  endtask

  task automatic drive_start;
    start = 1'b1;
    codes = nxt_codes;
    len   = nxt_len;
    bits3 = nxt_bits3;
  endtask

  // ---------------------------------------------------------------------------------------
  // Checks
  // ---------------------------------------------------------------------------------------
  int checks;
  int groups_total;
  int vec_no;

  task automatic fail_hdr;
    $display("FAIL qsa_zero_skip_tb: vector %0d (len %0d, %0d-bit codes, nnz %0d, reserved %0b)",
             vec_no, cur_len, cur_bits3 ? 3 : 2, cur_nnz, cur_rsv);
  endtask

  // Outputs of a cycle that should present group g (g < ngroups) or be idle (g >= ngroups).
  task automatic check_cycle(input int g, input int ngroups, input logic expect_empty);
    int   k;
    int   lanes;
    logic exp_en;
    int   exp_idx;
    lanes = Lanes;
    if (nnz !== LenWidth'(cur_nnz) || reserved !== cur_rsv || empty !== expect_empty) begin
      fail_hdr;
      $fatal(1, "FAIL qsa_zero_skip_tb: nnz_o %0d (exp %0d) reserved_o %b (exp %b) empty_o %b (exp %b)",
             nnz, cur_nnz, reserved, cur_rsv, empty, expect_empty);
    end
    if (g < ngroups) begin
      if (valid !== 1'b1 || busy !== 1'b1 || last !== (g == ngroups - 1)) begin
        fail_hdr;
        $fatal(1, "FAIL qsa_zero_skip_tb: group %0d of %0d: valid_o %b busy_o %b last_o %b",
               g, ngroups, valid, busy, last);
      end
      for (int i = 0; i < lanes; i++) begin
        k       = g * lanes + i;
        exp_en  = (k < cur_nnz);
        exp_idx = exp_en ? cur_list[k] : 0;
        if (lane_en[i] !== exp_en || idx[i*IdxWidth +: IdxWidth] !== IdxWidth'(exp_idx)) begin
          fail_hdr;
          $fatal(1, "FAIL qsa_zero_skip_tb: group %0d lane %0d: lane_en %b idx %0d, expected %b %0d",
                 g, i, lane_en[i], idx[i*IdxWidth +: IdxWidth], exp_en, exp_idx);
        end
      end
    end else begin
      if (valid !== 1'b0 || busy !== 1'b0 || last !== 1'b0) begin
        fail_hdr;
        $fatal(1, "FAIL qsa_zero_skip_tb: %0d groups done: expected idle, valid_o %b busy_o %b last_o %b",
               ngroups, valid, busy, last);
      end
    end
    checks++;
  endtask

  // ---------------------------------------------------------------------------------------
  // Stimulus
  // ---------------------------------------------------------------------------------------
  initial begin
    int          ngroups;
    int          g;
    int          rate;      // ready_i high when r[2:0] < rate (of 8)
    logic        pending;   // next vector already started (back-to-back or abort)
    logic        b2b;
    logic        abort;
    logic        first;
    int          idle;
    logic [31:0] r;

    lfsr         = 32'h1234_5678;
    maxv         = MaxVec;
    checks       = 0;
    groups_total = 0;
    rst_n        = 1'b0;
    start        = 1'b0;
    codes        = '0;
    len          = '0;
    bits3        = 1'b0;
    ready        = 1'b0;
    cur_nnz      = 0;
    cur_rsv      = 1'b0;
    cur_len      = '0;
    cur_bits3    = 1'b0;
    pending      = 1'b0;
    repeat (2) @(negedge clk);
    #1;
    if (valid !== 1'b0 || busy !== 1'b0 || empty !== 1'b0 || nnz !== '0 || reserved !== 1'b0) begin
      $fatal(1, "FAIL qsa_zero_skip_tb: outputs not idle in reset");
    end
    rst_n = 1'b1;

    gen_vec;
    for (vec_no = 0; vec_no < NumVec; vec_no++) begin
      if (!pending) begin
        // Idle cycle: the previous vector is done; start this one.
        @(negedge clk);
        next_rand;
        r     = lfsr;
        ready = r[0];
        drive_start;
        #1;
        check_cycle(0, 0, 1'b0);
        @(posedge clk);
      end
      take_next;
      pending = 1'b0;
      if (vec_no + 1 < NumVec) gen_vec;
      next_rand;
      r = lfsr;
      case (r[1:0])
        2'd0:    rate = 8;
        2'd1:    rate = 6;
        2'd2:    rate = 4;
        default: rate = 1;
      endcase
      b2b     = (r[3:2] == 2'd0) && (vec_no + 1 < NumVec);
      abort   = (r[8:4] == 5'd0) && (vec_no + 1 < NumVec);
      idle    = (r[11:9] == 3'd0) ? int'(r[13:12]) + 1 : 0;
      ngroups = (cur_nnz + Lanes - 1) / Lanes;
      g       = 0;
      first   = 1'b1;
      while ((g < ngroups || first) && !pending) begin
        @(negedge clk);
        start = 1'b0;
        next_rand;
        r     = lfsr;
        ready = (int'(r[2:0]) < rate);
        if (g < ngroups && ready && b2b && g == ngroups - 1) begin
          drive_start;
          pending = 1'b1;
        end else if (g < ngroups && abort && r[7:4] == 4'd0) begin
          drive_start;  // start_i while busy: the rest of this vector is dropped
          pending = 1'b1;
        end
        #1;
        check_cycle(g, ngroups, first && (cur_nnz == 0));
        if (g < ngroups && ready) begin
          g++;
          groups_total++;
        end
        first = 1'b0;
        @(posedge clk);
      end
      if (!pending) begin
        for (int i = 0; i < idle; i++) begin
          @(negedge clk);
          start = 1'b0;
          next_rand;
          r     = lfsr;
          ready = r[0];
          #1;
          check_cycle(0, 0, 1'b0);
          @(posedge clk);
        end
      end
    end
    // Final idle cycle after the last vector.
    @(negedge clk);
    start = 1'b0;
    #1;
    check_cycle(0, 0, 1'b0);
    $display("PASS qsa_zero_skip_tb: %0d vectors, %0d groups, %0d cycle checks (MaxVec=%0d, Lanes=%0d)",
             NumVec, groups_total, checks, MaxVec, Lanes);
    $finish;
  end

endmodule
