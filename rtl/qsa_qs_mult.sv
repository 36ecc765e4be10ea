// Quality-scalable multiplier (spec §3, docs/architecture.md): p_o = x_i * Q_k(alpha_i), exact.
//
// alpha_i is recoded to its non-adjacent form (qsa_pkg::naf_alpha_topk: NAF, then the k_i most
// significant nonzero digits; k_i = 0 keeps all). A kept digit at position i adds +x_i << i or
// -x_i << i. No two NAF digits are adjacent, so positions 2j and 2j + 1 share partial-product
// row j (5 rows for 9 positions), and a negative digit inverts x instead of negating it (the
// +1s are one more adder operand). The rows are summed.
//
// Gating: a row with no kept digit (zero, or dropped at the current k) is held still by
// operand isolation. Its x input is ANDed with the row enable, so the row and its adder inputs
// stay constant zero and do not toggle while x_i changes: the RTL form of the paper's
// clock-gated partial-product rows. pp_count_o is the number of rows in use (the nonzero kept
// digits, qsa_pkg::naf_alpha_count), which the statistics count as partial products.
//
// Registered = 0: combinational (clk_i and rst_ni unused). Registered = 1: p_o and pp_count_o
// come from an output register stage (latency one cycle, reset to zero).
module qsa_qs_mult #(
  parameter  int XWidth     = 17,  // multiplicand bits; 17 = the vector-sum width of spec §4
  parameter  int Registered = 0,   // 1: register the outputs
  // x * Q_k(alpha) fits XWidth + 8 bits (0 <= Q_k <= 256); two spare bits on top.
  localparam int PWidth     = XWidth + 10
) (
  input  logic                                    clk_i,
  input  logic                                    rst_ni,
  input  logic signed [XWidth-1:0]                x_i,         // multiplicand (vector sum S_v)
  input  logic        [qsa_pkg::AlphaBits-1:0]    alpha_i,     // α mantissa m
  input  logic        [qsa_pkg::KWidth-1:0]       k_i,         // quality knob, 0 = exact
  output logic signed [PWidth-1:0]                p_o,         // x_i * Q_k(alpha_i)
  output logic        [qsa_pkg::PpCountWidth-1:0] pp_count_o   // partial products used
);

  localparam int Digits = qsa_pkg::NafDigits;

  // ---------------------------------------------------------------------------------------
  // NAF recoding and top-k selection of α
  // ---------------------------------------------------------------------------------------
  logic [2*Digits-1:0] kept;      // {neg, pos} masks of the kept digits
  logic [Digits-1:0]   kept_pos;  // kept digit i is +1: adds +x << i
  logic [Digits-1:0]   kept_neg;  // kept digit i is -1: adds -x << i

  assign kept     = qsa_pkg::naf_alpha_topk(alpha_i, k_i);
  assign kept_pos = kept[0 +: Digits];
  assign kept_neg = kept[Digits +: Digits];

  // ---------------------------------------------------------------------------------------
  // Partial-product rows, two digit positions per row, operand-isolated
  // ---------------------------------------------------------------------------------------
  // A NAF never has two adjacent nonzero digits, so positions 2j and 2j + 1 share row j: a
  // select of x << 2j or x << (2j + 1), not an adder operand each (5 rows for 9 positions).
  // A negative digit inverts x: -(x << i) = (~x << i) + (1 << i), and the +(1 << i) of all
  // negative digits together is kept_neg read as a number, one more adder operand. So no row
  // has a negation adder.
  localparam int Rows = (Digits + 1) / 2;

  logic [2*Rows-1:0]        pos_w, neg_w;  // kept_pos / kept_neg, padded to 2·Rows positions
  logic [Rows-1:0]          row_en;        // row j in use
  logic signed [PWidth-1:0] rows[Rows];    // row j, two's complement

  assign pos_w = (2 * Rows)'(kept_pos);
  assign neg_w = (2 * Rows)'(kept_neg);

  for (genvar j = 0; j < Rows; j++) begin : g_row
    logic                     lo, hi, neg;  // digit 2j or 2j + 1 in use; negative
    logic        [XWidth-1:0] x_iso;        // x_i (inverted when negative) in use, else 0
    logic signed [PWidth-1:0] x_ext;        // x_iso sign-extended

    assign lo    = pos_w[2*j] | neg_w[2*j];
    assign hi    = pos_w[2*j+1] | neg_w[2*j+1];
    assign neg   = neg_w[2*j] | neg_w[2*j+1];
    assign row_en[j] = lo | hi;
    assign x_iso = (x_i ^ {XWidth{neg}}) & {XWidth{row_en[j]}};
    assign x_ext = {{(PWidth - XWidth){x_iso[XWidth-1]}}, x_iso};
    assign rows[j] = hi ? (x_ext <<< (2 * j + 1)) : (x_ext <<< (2 * j));
  end

  // ---------------------------------------------------------------------------------------
  // Row sum
  // ---------------------------------------------------------------------------------------
  logic signed [PWidth-1:0]                p_d;
  logic        [qsa_pkg::PpCountWidth-1:0] pp_count_d;

  // g_sum[j].s: the +1 << i of every negative digit plus rows 0..j
  for (genvar j = 0; j < Rows; j++) begin : g_sum
    logic signed [PWidth-1:0] s;
    if (j == 0) begin : g_first
      assign s = PWidth'(kept_neg) + rows[0];
    end else begin : g_next
      assign s = g_sum[j-1].s + rows[j];
    end
  end
  assign p_d = g_sum[Rows-1].s;

  assign pp_count_d = qsa_pkg::naf_alpha_count(kept);

  // ---------------------------------------------------------------------------------------
  // Optional output register
  // ---------------------------------------------------------------------------------------
  if (Registered != 0) begin : g_out_reg
    logic signed [PWidth-1:0]                p_q;
    logic        [qsa_pkg::PpCountWidth-1:0] pp_count_q;

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        p_q        <= '0;
        pp_count_q <= '0;
      end else begin
        p_q        <= p_d;
        pp_count_q <= pp_count_d;
      end
    end

    assign p_o        = p_q;
    assign pp_count_o = pp_count_q;
  end else begin : g_out_comb
    logic unused_clk_rst;  // no register stage: the clock and reset are not used
    assign unused_clk_rst = clk_i ^ rst_ni;

    assign p_o        = p_d;
    assign pp_count_o = pp_count_d;
  end

endmodule
