// Quality-scalable multiplier (spec §3, docs/architecture.md): p_o = x_i * Q_k(alpha_i), exact.
//
// alpha_i is recoded to its non-adjacent form (qsa_pkg::naf_alpha_topk: NAF, then the k_i most
// significant nonzero digits; k_i = 0 keeps all). Each of the NafDigits digit positions i owns
// one partial-product row, +x_i << i or -x_i << i, and the rows are summed.
//
// Gating: a row whose digit is zero or dropped at the current k is held still by operand
// isolation. Its x input is ANDed with the row enable, so the row's negation and its adder
// inputs stay constant zero and do not toggle while x_i changes: the RTL form of the paper's
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
  logic [Digits-1:0]   kept_pos;  // row i adds +x << i
  logic [Digits-1:0]   kept_neg;  // row i adds -x << i
  logic [Digits-1:0]   row_en;    // row i in use

  assign kept     = qsa_pkg::naf_alpha_topk(alpha_i, k_i);
  assign kept_pos = kept[0 +: Digits];
  assign kept_neg = kept[Digits +: Digits];
  assign row_en   = kept_pos | kept_neg;

  // ---------------------------------------------------------------------------------------
  // Partial-product rows, one per digit position, operand-isolated
  // ---------------------------------------------------------------------------------------
  logic [Digits*PWidth-1:0] rows;  // row i at [i*PWidth +: PWidth], two's complement

  for (genvar i = 0; i < Digits; i++) begin : g_row
    logic        [XWidth-1:0] x_iso;  // x_i when the row is in use, else constant 0
    logic signed [PWidth-1:0] x_ext;  // x_iso sign-extended

    assign x_iso = x_i & {XWidth{row_en[i]}};
    assign x_ext = {{(PWidth - XWidth){x_iso[XWidth-1]}}, x_iso};
    assign rows[i*PWidth +: PWidth] = (kept_neg[i] ? -x_ext : x_ext) <<< i;
  end

  // ---------------------------------------------------------------------------------------
  // Row sum
  // ---------------------------------------------------------------------------------------
  logic signed [PWidth-1:0]                p_d;
  logic        [qsa_pkg::PpCountWidth-1:0] pp_count_d;

  // Summed in a variable of the block and written once: an output changing several times per
  // run makes Icarus 11 (Debian 12) loop through its bug #508 (fixed in 12.0), which wakes every
  // always_comb linked before a woken one (qsa_pe's two multipliers woke each other).
  always_comb begin : p_row_sum
    logic signed [PWidth-1:0] sum;
    sum = '0;
    for (int i = 0; i < Digits; i++) begin
      sum = sum + rows[i*PWidth +: PWidth];
    end
    p_d = sum;
  end

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
