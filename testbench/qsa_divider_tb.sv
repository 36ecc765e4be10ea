// Self-checking testbench of qsa_divider.
//
// Five dividers share the start pulses: Width = 32 with BitsPerCycle 1, 2, 4 (the descriptor
// checker's) and 8, and Width = 6 with BitsPerCycle = 3. The 6-bit divider is first driven
// alone with every (dividend, divisor) pair of 6 bits (4,096 divisions, the divisor 0
// included). Then all five divide together: small divisors against dividends of every size
// (a fixed-seed xorshift32 fills the 32-bit operands above a 6-bit pair), NumRand random
// pairs of random sizes, the divisor 0 and the extremes.
//
// Checked for every division and every divider:
// - done_o pulses exactly Width / BitsPerCycle + 1 cycles after start_i, for one cycle, and
//   busy_o is high in exactly the cycles before it;
// - dividend = quotient · divisor + remainder with remainder < divisor, or, for a zero
//   divisor, quotient = all ones and remainder = dividend;
// - a start_i while busy is ignored (about one division in eight gets a second start pulse
//   with other operands in the middle);
// - the results hold after done_o while start_i stays low.
module qsa_divider_tb #(
  parameter int NumRand = 2000
);

  localparam int N32 = 4;  // the 32-bit dividers: divider i has BitsPerCycle = 2**i

  logic        clk = 1'b0;
  logic        rst_n;
  logic        start;
  logic [31:0] dividend, divisor;
  logic [5:0]  dividend6, divisor6;

  logic [N32-1:0] busy32, done32;
  logic [31:0]    quo32 [N32];
  logic [31:0]    rem32 [N32];
  logic           busy6, done6;
  logic [5:0]     quo6, rem6;

  for (genvar i = 0; i < N32; i++) begin : g_dut
    logic [31:0] q, r;
    qsa_divider #(.Width(32), .BitsPerCycle((1 << i))) u_div (
      .clk_i      (clk),
      .rst_ni     (rst_n),
      .start_i    (start),
      .dividend_i (dividend),
      .divisor_i  (divisor),
      .busy_o     (busy32[i]),
      .done_o     (done32[i]),
      .quotient_o (q),
      .remainder_o(r)
    );
    assign quo32[i] = q;
    assign rem32[i] = r;
  end

  qsa_divider #(.Width(6), .BitsPerCycle(3)) u_div6 (
    .clk_i      (clk),
    .rst_ni     (rst_n),
    .start_i    (start),
    .dividend_i (dividend6),
    .divisor_i  (divisor6),
    .busy_o     (busy6),
    .done_o     (done6),
    .quotient_o (quo6),
    .remainder_o(rem6)
  );

  always #5 clk = ~clk;

  int          errors = 0;
  int          divisions = 0;
  logic [31:0] rng = 32'h2545_f491;

  task automatic fail(input string what);
    errors++;
    if (errors <= 10) $display("FAIL: %s (dividend %0d divisor %0d)", what, dividend, divisor);
  endtask

  task automatic check_result32(input int i, input logic [31:0] a, input logic [31:0] b);
    logic [63:0] back;
    if (b == 32'd0) begin
      if (quo32[i] !== 32'hffff_ffff || rem32[i] !== a) fail($sformatf("divider %0d: x / 0", i));
    end else begin
      back = 64'(quo32[i]) * 64'(b) + 64'(rem32[i]);
      if (back !== 64'(a) || rem32[i] >= b) begin
        fail($sformatf("divider %0d (BitsPerCycle %0d): quotient %0d remainder %0d", i,
                       (1 << i), quo32[i], rem32[i]));
      end
    end
  endtask

  task automatic check_result6(input logic [5:0] a, input logic [5:0] b);
    logic [11:0] back;
    if (b == 6'd0) begin
      if (quo6 !== 6'h3f || rem6 !== a) fail("6-bit divider: x / 0");
    end else begin
      back = 12'(quo6) * 12'(b) + 12'(rem6);
      if (back !== 12'(a) || rem6 >= b) fail("6-bit divider: quotient or remainder");
    end
  endtask

  // One division on the 6-bit divider only: latency, busy and result; the next one may start
  // in the done_o cycle.
  task automatic divide6(input logic [5:0] a6, input logic [5:0] b6);
    @(negedge clk);
    dividend6 = a6;
    divisor6  = b6;
    start     = 1'b1;
    @(negedge clk);
    start = 1'b0;
    for (int cyc = 1; cyc <= 3; cyc++) begin
      if (busy6 !== (cyc <= 2)) fail("6-bit divider: busy_o");
      if (done6 !== (cyc == 3)) fail("6-bit divider: done_o");
      if (cyc == 3) check_result6(a6, b6);
      if (cyc < 3) @(negedge clk);
    end
    divisions++;
  endtask

  // One division on every divider: a start pulse, optionally a second (ignored) one while
  // busy, then the cycle-by-cycle latency, busy and result checks.
  task automatic divide(input logic [31:0] a, input logic [31:0] b, input logic [5:0] a6,
                        input logic [5:0] b6, input bit restart);
    int          cyc;
    logic [31:0] a_q, b_q;
    logic [5:0]  a6_q, b6_q;
    a_q  = a;
    b_q  = b;
    a6_q = a6;
    b6_q = b6;
    @(negedge clk);
    dividend  = a;
    divisor   = b;
    dividend6 = a6;
    divisor6  = b6;
    start     = 1'b1;
    @(negedge clk);
    start = 1'b0;
    // cycle 1 after start_i; done_o is due at cycle Width / BitsPerCycle + 1
    for (cyc = 1; cyc <= 33; cyc++) begin
      if (restart && cyc == 2) begin
        dividend  = ~a;
        divisor   = b ^ 32'h5;
        dividend6 = ~a6;
        divisor6  = b6 ^ 6'h5;
        start     = 1'b1;
      end else begin
        start = 1'b0;
      end
      for (int i = 0; i < N32; i++) begin
        if (busy32[i] !== (cyc <= 32 / (1 << i))) fail($sformatf("divider %0d: busy_o", i));
        if (done32[i] !== (cyc == 32 / (1 << i) + 1)) fail($sformatf("divider %0d: done_o", i));
        if (cyc == 32 / (1 << i) + 1) check_result32(i, a_q, b_q);
      end
      if (busy6 !== (cyc <= 2)) fail("6-bit divider: busy_o");
      if (done6 !== (cyc == 3)) fail("6-bit divider: done_o");
      if (cyc == 3) check_result6(a6_q, b6_q);
      @(negedge clk);
    end
    start = 1'b0;
    // the results hold
    repeat (2) @(negedge clk);
    for (int i = 0; i < N32; i++) begin
      if (done32[i] !== 1'b0 || busy32[i] !== 1'b0) fail($sformatf("divider %0d: not idle", i));
      check_result32(i, a_q, b_q);
    end
    check_result6(a6_q, b6_q);
    divisions++;
  endtask

  initial begin
    rst_n     = 1'b0;
    start     = 1'b0;
    dividend  = '0;
    divisor   = '0;
    dividend6 = '0;
    divisor6  = '0;
    repeat (3) @(negedge clk);
    rst_n = 1'b1;

    // the 6-bit divider alone on every pair (the 32-bit ones are not checked meanwhile: they
    // ignore the starts that come while they are busy)
    for (int a = 0; a < 64; a++) begin
      for (int b = 0; b < 64; b++) begin
        divide6(6'(a), 6'(b));
      end
    end
    repeat (40) @(negedge clk);
    // all five: every divisor 0..15 and a few above against dividends of every size (the
    // 32-bit dividers get them in their low byte, under random upper bits of random length)
    for (int a = 0; a < 256; a += 9) begin
      for (int b = 0; b < 20; b++) begin
        logic [31:0] hi_a, hi_b;
        rng  = qsa_tb_pkg::xorshift32(rng);
        hi_a = (rng >> (rng[4:0])) << 8;
        rng  = qsa_tb_pkg::xorshift32(rng);
        hi_b = ((rng >> (rng[4:0])) << 8) & ((b % 3 == 0) ? 32'h0 : 32'hffff_ffff);
        divide(hi_a | 32'(a), hi_b | 32'(b * 13 % 256), 6'(a), 6'(b * 13), (a + b) % 8 == 3);
      end
    end
    // random 32-bit pairs of random sizes, and the extremes
    for (int n = 0; n < NumRand; n++) begin
      logic [31:0] ra, rb;
      rng = qsa_tb_pkg::xorshift32(rng);
      ra  = rng >> rng[31:27];
      rng = qsa_tb_pkg::xorshift32(rng);
      rb  = rng >> rng[31:27];
      divide(ra, rb, ra[5:0], rb[5:0], n % 8 == 5);
    end
    divide(32'hffff_ffff, 32'd1, 6'h3f, 6'd1, 1'b0);
    divide(32'hffff_ffff, 32'hffff_ffff, 6'h3f, 6'h3f, 1'b0);
    divide(32'd0, 32'd0, 6'd0, 6'd0, 1'b0);
    divide(32'h8000_0000, 32'd3, 6'h20, 6'd3, 1'b0);
    divide(32'd1, 32'hffff_ffff, 6'd1, 6'h3f, 1'b1);

    if (errors == 0) begin
      $display("PASS: qsa_divider_tb, %0d divisions on 5 dividers", divisions);
    end else begin
      $display("FAIL: qsa_divider_tb, %0d errors in %0d divisions", errors, divisions);
    end
    $finish;
  end

endmodule
