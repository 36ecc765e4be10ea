// Self-checking testbench of qsa_naf_recoder.
//
// u_rec8  (Width = 8, the α width): exhaustive, every operand 0..255 with every k 0..7.
// u_rec16 (Width = 16, the widest qsa_pkg::naf_digits takes): the operands 0..255 shifted
//         into the high byte, the all-ones/alternating/boundary patterns and 2048 xorshift
//         operands, each with every k 0..7.
// For each (operand, k) it checks that the digits are valid (pos and neg masks disjoint, no two
// adjacent nonzero digits), that their value equals the operand, that they are the NAF computed
// here digit-serially (x mod 4 rule, as in the C++ NafDigits), and that the kept digits are a
// subset of them equal to the k most significant nonzero digits chosen here by a plain scan from
// the top, with the value Q_k. The reference is behavioral SV, independent of qsa_pkg.
module qsa_naf_recoder_tb;

  localparam int KW    = qsa_pkg::KWidth;
  localparam int MaxW  = 16;           // widest instance
  localparam int MaxD  = MaxW + 1;     // its digit positions
  localparam int NumRandom = 2048;

  logic [7:0]      op8;
  logic [15:0]     op16;
  logic [KW-1:0]   k;
  logic [8:0]      pos8;
  logic [8:0]      neg8;
  logic [8:0]      kpos8;
  logic [8:0]      kneg8;
  logic [16:0]     pos16;
  logic [16:0]     neg16;
  logic [16:0]     kpos16;
  logic [16:0]     kneg16;

  qsa_naf_recoder #(.Width(8)) u_rec8 (
    .op_i      (op8),
    .k_i       (k),
    .pos_o     (pos8),
    .neg_o     (neg8),
    .kept_pos_o(kpos8),
    .kept_neg_o(kneg8)
  );

  qsa_naf_recoder #(.Width(16)) u_rec16 (
    .op_i      (op16),
    .k_i       (k),
    .pos_o     (pos16),
    .neg_o     (neg16),
    .kept_pos_o(kpos16),
    .kept_neg_o(kneg16)
  );

  int checks;

  // Checks one result of the instance of `width` bits; masks zero-extended to MaxD digits.
  task automatic check(input int width, input int op, input int kk,
                       input logic [MaxD-1:0] pos, input logic [MaxD-1:0] neg,
                       input logic [MaxD-1:0] kpos, input logic [MaxD-1:0] kneg);
    logic [MaxD-1:0] ref_pos;
    logic [MaxD-1:0] ref_neg;
    logic [MaxD-1:0] ref_kpos;
    logic [MaxD-1:0] ref_kneg;
    logic [MaxD-1:0] nz;
    int              x;
    int              d;
    int              i;
    int              nnz;
    int              kept;
    int              value;
    int              ref_q;
    int              q;

    // Reference NAF, least significant digit first: an odd x takes digit 2 - (x mod 4).
    ref_pos = '0;
    ref_neg = '0;
    x       = op;
    i       = 0;
    while (x != 0) begin
      if (x % 2 != 0) begin
        d = 2 - (x % 4);
        if (d > 0) ref_pos[i] = 1'b1;
        else       ref_neg[i] = 1'b1;
        x = x - d;
      end
      x = x / 2;
      i = i + 1;
    end

    // Reference top-k: the k most significant nonzero digits, all of them when k = 0.
    ref_kpos = '0;
    ref_kneg = '0;
    kept     = 0;
    ref_q    = 0;
    for (int j = MaxD - 1; j >= 0; j--) begin
      if ((ref_pos[j] || ref_neg[j]) && (kk == 0 || kept < kk)) begin
        ref_kpos[j] = ref_pos[j];
        ref_kneg[j] = ref_neg[j];
        ref_q       = ref_pos[j] ? ref_q + (1 << j) : ref_q - (1 << j);
        kept++;
      end
    end

    // Validity and value of the recoder's digits.
    nz    = pos | neg;
    nnz   = 0;
    value = 0;
    q     = 0;
    for (int j = 0; j < MaxD; j++) begin
      nnz   = nnz + int'(nz[j]);
      value = value + (pos[j] ? (1 << j) : 0) - (neg[j] ? (1 << j) : 0);
      q     = q + (kpos[j] ? (1 << j) : 0) - (kneg[j] ? (1 << j) : 0);
    end
    if ((pos & neg) != '0) begin
      $fatal(1, "FAIL qsa_naf_recoder_tb: Width=%0d op=%0d: pos %b and neg %b overlap",
             width, op, pos, neg);
    end
    if ((nz & (nz >> 1)) != '0) begin
      $fatal(1, "FAIL qsa_naf_recoder_tb: Width=%0d op=%0d: adjacent nonzero digits pos %b neg %b",
             width, op, pos, neg);
    end
    if (value != op) begin
      $fatal(1, "FAIL qsa_naf_recoder_tb: Width=%0d op=%0d: digits pos %b neg %b have value %0d",
             width, op, pos, neg, value);
    end
    if (pos != ref_pos || neg != ref_neg) begin
      $fatal(1, "FAIL qsa_naf_recoder_tb: Width=%0d op=%0d: expected NAF pos %b neg %b, got pos %b neg %b",
             width, op, ref_pos, ref_neg, pos, neg);
    end
    if ((kpos & ~pos) != '0 || (kneg & ~neg) != '0) begin
      $fatal(1, "FAIL qsa_naf_recoder_tb: Width=%0d op=%0d k=%0d: kept digits pos %b neg %b not a subset of the NAF",
             width, op, kk, kpos, kneg);
    end
    if (q != ref_q || kpos != ref_kpos || kneg != ref_kneg) begin
      $fatal(1, "FAIL qsa_naf_recoder_tb: Width=%0d op=%0d k=%0d: expected Q_k=%0d (pos %b neg %b), got %0d (pos %b neg %b)",
             width, op, kk, ref_q, ref_kpos, ref_kneg, q, kpos, kneg);
    end
    if (kk == 0 && q != op) begin
      $fatal(1, "FAIL qsa_naf_recoder_tb: Width=%0d op=%0d: k=0 is not exact (%0d)", width, op, q);
    end
    checks++;
  endtask

  // Drives op_a into u_rec8 and op_b into u_rec16 and checks both for every k.
  task automatic apply(input int op_a, input int op_b);
    op8  = op_a[7:0];
    op16 = op_b[15:0];
    for (int kk = 0; kk < (1 << KW); kk++) begin
      k = kk[KW-1:0];
      #1;
      check(8, op_a, kk, MaxD'(pos8), MaxD'(neg8), MaxD'(kpos8), MaxD'(kneg8));
      check(16, op_b, kk, pos16, neg16, kpos16, kneg16);
    end
  endtask

  logic [31:0] xs;  // xorshift32 state

  initial begin
    checks = 0;
    // Exhaustive 8-bit operands; the same byte in the high half of the 16-bit operand.
    for (int v = 0; v < 256; v++) begin
      apply(v, (v << 8) | (255 - v));
    end
    // 16-bit patterns.
    apply(0, 32'h0000_ffff);
    apply(0, 32'h0000_aaaa);
    apply(0, 32'h0000_5555);
    apply(0, 32'h0000_d555);
    apply(0, 32'h0000_b6db);
    apply(0, 32'h0000_8000);
    apply(0, 32'h0000_7fff);
    apply(0, 32'h0000_0001);
    // Pseudo-random 16-bit operands (xorshift32, fixed seed).
    xs = 32'h2545_f491;
    for (int n = 0; n < NumRandom; n++) begin
      xs = qsa_tb_pkg::xorshift32(xs);
      apply(n % 256, int'(xs[15:0]));
    end
    $display("PASS qsa_naf_recoder_tb: %0d checks (Width=8 exhaustive, Width=16 %0d operands, k 0..7)",
             checks, 256 + 8 + NumRandom);
    $finish;
  end

endmodule
