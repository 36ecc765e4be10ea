// The partial-product rows of the quality-scalable multiply (spec §3, docs/architecture.md):
// p_o = x_i * Q, Q given by its kept NAF digits (kept_i = {neg, pos} masks, as
// qsa_pkg::naf_alpha_topk returns them), exact.
//
// A kept digit at position i adds +x_i << i or -x_i << i. No two NAF digits are adjacent, so
// positions 2j and 2j + 1 share partial-product row j (5 rows for 9 positions), and a negative
// digit inverts x instead of negating it (the +1s are one more adder operand). The rows are
// summed.
//
// Gating: a row with no kept digit (zero, or dropped at the current k) is held still by
// operand isolation. Its x input is ANDed with the row enable, so the row and its adder inputs
// stay constant zero and do not toggle while x_i changes: the RTL form of the paper's
// clock-gated partial-product rows. pp_count_o is the number of rows in use (the kept digits,
// qsa_pkg::naf_alpha_count), which the statistics count as partial products.
//
// The digit masks come in ready: qsa_qs_mult recodes α in front of this block, and qsa_pe
// (which calls the same rows as qsa_pkg::naf_mult, in its multiply cycles) recodes each
// vector's α when its sum is staged, so the row enables are register outputs and settle before
// the rows switch (a recoder in front of the rows makes them glitch while it
// settles: docs/synthesis.md, "Glitch-aware variant").
module qsa_naf_mult #(
  parameter  int XWidth = 17,  // multiplicand bits, at most 17 (qsa_pkg::NafMulXWidth, S_v)
  localparam int Digits = qsa_pkg::NafDigits,
  // x * Q fits XWidth + 8 bits (0 <= Q <= 256); two spare bits on top.
  localparam int PWidth = XWidth + 10
) (
  input  logic signed [XWidth-1:0]                x_i,         // multiplicand (vector sum S_v)
  input  logic        [2*Digits-1:0]              kept_i,      // {neg, pos} kept digit masks
  output logic signed [PWidth-1:0]                p_o,         // x_i * Q
  output logic        [qsa_pkg::PpCountWidth-1:0] pp_count_o   // partial products used
);

  logic [Digits-1:0] kept_neg;  // kept digit i is -1

  assign kept_neg = kept_i[Digits +: Digits];

  // ---------------------------------------------------------------------------------------
  // Partial-product rows, two digit positions per row, operand-isolated
  // ---------------------------------------------------------------------------------------
  // A NAF never has two adjacent nonzero digits, so positions 2j and 2j + 1 share row j: a
  // select of x << 2j or x << (2j + 1), not an adder operand each (5 rows for 9 positions).
  // A negative digit inverts x: -(x << i) = (~x << i) + (1 << i), and the +(1 << i) of all
  // negative digits together is kept_neg read as a number, one more adder operand. So no row
  // has a negation adder. Row j is qsa_pkg::naf_mult_row, the rows qsa_pe sums with
  // qsa_pkg::naf_mult; it takes a 17-bit x, so a narrower x_i is sign-extended and each row
  // keeps its low PWidth bits (the sum is exact modulo 2**PWidth).
  localparam int Rows   = qsa_pkg::NafMulRows;
  localparam int FullXW = qsa_pkg::NafMulXWidth;
  localparam int FullPW = qsa_pkg::NafMulPWidth;

  logic signed [FullXW-1:0] x_full;
  logic signed [PWidth-1:0] rows[Rows];  // row j, two's complement

  assign x_full = FullXW'(x_i);

  for (genvar j = 0; j < Rows; j++) begin : g_row
    logic signed [FullPW-1:0] row;

    assign row     = qsa_pkg::naf_mult_row(x_full, kept_i, j);
    assign rows[j] = row[PWidth-1:0];
    if (PWidth < FullPW) begin : g_high
      logic unused_high;
      assign unused_high = ^row[FullPW-1:PWidth];
    end
  end

  // ---------------------------------------------------------------------------------------
  // Row sum
  // ---------------------------------------------------------------------------------------
  // g_sum[j].s: the +1 << i of every negative digit plus rows 0..j
  for (genvar j = 0; j < Rows; j++) begin : g_sum
    logic signed [PWidth-1:0] s;
    if (j == 0) begin : g_first
      assign s = PWidth'(kept_neg) + rows[0];
    end else begin : g_next
      assign s = g_sum[j-1].s + rows[j];
    end
  end

  assign p_o        = g_sum[Rows-1].s;
  assign pp_count_o = qsa_pkg::naf_alpha_count(kept_i);

endmodule
