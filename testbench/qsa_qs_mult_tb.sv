// Self-checking testbench of qsa_qs_mult against the C++ reference model.
//
// Reads "<x> <alpha> <k> <product> <pp_count>" lines (hex, x and product 32-bit two's
// complement) from the file given by +vectors=<file>, written by
// tests/tb_vectors/gen_qs_mult_vectors.cc from NafTopK and NafKeptDigits. Each line drives
// three instances:
//   u_mult17     XWidth = 17, combinational: checked on every line;
//   u_mult17_reg XWidth = 17, Registered = 1: checked one clock edge later (and checked to
//                still hold the previous result before that edge);
//   u_mult8      XWidth = 8, combinational: checked on the lines whose x fits 8 bits.
// The 8-bit vector set (every x, alpha and k) is exhaustive for u_mult8. On every line the tb
// also checks the gating (each unused partial-product row of u_mult17 is zero) and
// qsa_pkg::naf_mult, the multiply qsa_pe calls, on the same x and kept digits.
// Stops with $fatal at the first mismatch, naming x, alpha, k, expected and got.
module qsa_qs_mult_tb;

  localparam int XWidth8   = 8;
  localparam int XWidth17  = 17;
  localparam int PWidth8   = XWidth8 + 10;
  localparam int PWidth17  = XWidth17 + 10;
  localparam int Digits    = qsa_pkg::NafDigits;
  localparam int CountW    = qsa_pkg::PpCountWidth;

  logic                             clk;
  logic                             rst_n;
  logic signed [XWidth8-1:0]        x8;
  logic signed [XWidth17-1:0]       x17;
  logic        [qsa_pkg::AlphaBits-1:0] alpha;
  logic        [qsa_pkg::KWidth-1:0]    k;
  logic signed [PWidth8-1:0]        p8;
  logic signed [PWidth17-1:0]       p17;
  logic signed [PWidth17-1:0]       p17_reg;
  logic signed [PWidth17-1:0]       p17_fn;
  logic        [CountW-1:0]         cnt8;
  logic        [CountW-1:0]         cnt17;
  logic        [CountW-1:0]         cnt17_reg;

  qsa_qs_mult #(.XWidth(XWidth8), .Registered(0)) u_mult8 (
    .clk_i     (clk),
    .rst_ni    (rst_n),
    .x_i       (x8),
    .alpha_i   (alpha),
    .k_i       (k),
    .p_o       (p8),
    .pp_count_o(cnt8)
  );

  qsa_qs_mult #(.XWidth(XWidth17), .Registered(0)) u_mult17 (
    .clk_i     (clk),
    .rst_ni    (rst_n),
    .x_i       (x17),
    .alpha_i   (alpha),
    .k_i       (k),
    .p_o       (p17),
    .pp_count_o(cnt17)
  );

  qsa_qs_mult #(.XWidth(XWidth17), .Registered(1)) u_mult17_reg (
    .clk_i     (clk),
    .rst_ni    (rst_n),
    .x_i       (x17),
    .alpha_i   (alpha),
    .k_i       (k),
    .p_o       (p17_reg),
    .pp_count_o(cnt17_reg)
  );

  // Gating: a row not in use (row j holds digit positions 2j and 2j + 1) must stay zero, its
  // x ANDed away (a row is zero only when its x input is).
  localparam int Rows = qsa_pkg::NafMulRows;
  logic [2*Digits-1:0] kept17;
  logic [Digits:0]     used17;  // kept digit positions, padded to 2·Rows
  logic [Rows-1:0]     row_en, row_still;
  assign kept17 = u_mult17.u_rows.kept_i;
  assign used17 = {1'b0, kept17[Digits-1:0] | kept17[2*Digits-1:Digits]};
  for (genvar j = 0; j < Rows; j++) begin : g_gate
    assign row_en[j]    = used17[2*j] | used17[2*j+1];
    assign row_still[j] = row_en[j] || (u_mult17.u_rows.rows[j] == '0);
  end

  string path;
  int    fd;
  int    n_read;
  int    x;
  int    a;
  int    kk;
  int    prod;
  int    cnt;
  int    got;
  int    prev_prod;
  int    prev_cnt;
  int    lines;
  int    checks;
  int    checks8;

  task automatic check(input string inst, input int got_p, input int got_cnt);
    if (got_p !== prod || got_cnt !== cnt) begin
      $fatal(1, "FAIL qsa_qs_mult_tb: %s x=%0d alpha=%0d k=%0d: expected p=%0d pp_count=%0d, got p=%0d pp_count=%0d",
             inst, x, a, kk, prod, cnt, got_p, got_cnt);
    end
    checks++;
  endtask

  initial begin
    if (!$value$plusargs("vectors=%s", path)) begin
      $fatal(1, "FAIL qsa_qs_mult_tb: no vector file, run with +vectors=<file>");
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $fatal(1, "FAIL qsa_qs_mult_tb: cannot open %s", path);
    end

    lines   = 0;
    checks  = 0;
    checks8 = 0;
    clk     = 1'b0;
    rst_n   = 1'b0;
    x8      = '0;
    x17     = '0;
    alpha   = '0;
    k       = '0;
    #1;
    if (p17_reg !== '0 || cnt17_reg !== '0) begin
      $fatal(1, "FAIL qsa_qs_mult_tb: registered outputs not zero in reset");
    end
    rst_n     = 1'b1;
    prev_prod = 0;
    prev_cnt  = 0;

    // Icarus 11 has no `break`: the loop runs while the last read found a whole line.
    n_read = $fscanf(fd, "%h %h %h %h %h\n", x, a, kk, prod, cnt);
    while (n_read > 0) begin
      if (n_read != 5) begin
        $fatal(1, "FAIL qsa_qs_mult_tb: malformed line %0d of %s", lines + 1, path);
      end
      if (x < -(1 <<< (XWidth17 - 1)) || x >= (1 <<< (XWidth17 - 1)) || a < 0 || a > 255 ||
          kk < 0 || kk > 7) begin
        $fatal(1, "FAIL qsa_qs_mult_tb: line %0d out of range (x=%0d alpha=%0d k=%0d)",
               lines + 1, x, a, kk);
      end
      lines++;

      x17   = x[XWidth17-1:0];
      x8    = x[XWidth8-1:0];
      alpha = a[7:0];
      k     = kk[2:0];
      #1;

      // Combinational instances.
      got = int'(p17);
      check("XWidth=17", got, int'(cnt17));
      // qsa_pkg::naf_mult, the multiply qsa_pe calls, on the same kept digits.
      // (Through a variable: Icarus 11 casts a function's result as unsigned.)
      p17_fn = qsa_pkg::naf_mult(x17, qsa_pkg::naf_alpha_topk(alpha, k));
      got    = int'(p17_fn);
      check("qsa_pkg::naf_mult", got, int'(cnt17));
      if (x >= -128 && x <= 127) begin
        got = int'(p8);
        check("XWidth=8", got, int'(cnt8));
        checks8++;
      end
      if (!(&row_still)) begin
        $fatal(1, "FAIL qsa_qs_mult_tb: x=%0d alpha=%0d k=%0d: unused row input toggles (row_en=%b still=%b)",
               x, a, kk, row_en, row_still);
      end

      // Registered instance: still the previous result, then this one after the edge.
      got = int'(p17_reg);
      if (got !== prev_prod || int'(cnt17_reg) !== prev_cnt) begin
        $fatal(1, "FAIL qsa_qs_mult_tb: Registered=1 x=%0d alpha=%0d k=%0d: before the edge expected p=%0d pp_count=%0d, got p=%0d pp_count=%0d",
               x, a, kk, prev_prod, prev_cnt, got, cnt17_reg);
      end
      clk = 1'b1;
      #1;
      got = int'(p17_reg);
      check("XWidth=17 Registered=1", got, int'(cnt17_reg));
      clk       = 1'b0;
      prev_prod = prod;
      prev_cnt  = cnt;
      n_read    = $fscanf(fd, "%h %h %h %h %h\n", x, a, kk, prod, cnt);
    end
    $fclose(fd);

    if (lines == 0) begin
      $fatal(1, "FAIL qsa_qs_mult_tb: no vectors in %s", path);
    end
    $display("PASS qsa_qs_mult_tb: %0d vectors from %s, %0d checks (%0d on XWidth=8)",
             lines, path, checks, checks8);
    $finish;
  end

endmodule
