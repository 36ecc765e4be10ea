// Quality-scalable multiplier (spec §3, docs/architecture.md): p_o = x_i * Q_k(alpha_i), exact.
//
// alpha_i is recoded to its non-adjacent form (qsa_pkg::naf_alpha_topk: NAF, then the k_i most
// significant nonzero digits; k_i = 0 keeps all), and qsa_naf_mult adds the kept digits'
// partial-product rows (one row per pair of NAF positions, a negative digit inverting x, rows
// with no kept digit operand-isolated). pp_count_o is the number of rows in use.
//
// The standalone form, for a caller that has α, not its digits. qsa_pe recodes α one stage
// earlier (when a vector's sum is staged) and uses qsa_naf_mult directly, so the row enables
// come from a register instead of settling through the recoder while the rows switch.
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

  // ---------------------------------------------------------------------------------------
  // NAF recoding and top-k selection of α, then the rows (qsa_naf_mult)
  // ---------------------------------------------------------------------------------------
  logic [2*qsa_pkg::NafDigits-1:0]    kept;  // {neg, pos} masks of the kept digits
  logic signed [PWidth-1:0]           p_d;
  logic [qsa_pkg::PpCountWidth-1:0]   pp_count_d;

  assign kept = qsa_pkg::naf_alpha_topk(alpha_i, k_i);

  qsa_naf_mult #(.XWidth(XWidth)) u_rows (
    .x_i,
    .kept_i    (kept),
    .p_o       (p_d),
    .pp_count_o(pp_count_d)
  );

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
