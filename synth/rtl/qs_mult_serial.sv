// A digit-serial form of the quality-scalable multiply, for the synthesis reports only (not part
// of the accelerator): one kept NAF digit of α per cycle, most significant first, added into
// the caller's accumulator. Multiplying S_v by Q_k(α) takes as many cycles as Q_k(α) has
// nonzero digits (at most k, at most 5 for an 8-bit α; none when α = 0), and costs one
// shifter and no adder of its own: the accumulator the PE has anyway does the adding.
//
//   load_i     take x_i, and α's NAF digits (qsa_pkg::naf_digits, the closed form: one small
//              adder) and k_i; from the next cycle on, busy_o is high while digits remain.
//   busy_o     a digit is presented this cycle: add_o + cin_o - 2^(AddW-1) is ±(x << i) for
//              the most significant digit i not yet taken. A negative digit comes as the ones'
//              complement plus a carry-in, so the caller's adder needs no negation; the term's
//              sign bit comes inverted (the term + 2^(AddW-1), an unsigned number), so the
//              caller adds AddW bits with no sign extension and subtracts the constant.
// The k limit needs no top-k network: taking the digits most significant first and stopping
// after k of them is the top-k selection (k = 0: all). While idle, the digit registers are
// zero and x is held, so the shifter and add_o hold still (no toggling).
module qs_mult_serial #(
  parameter  int XWidth = 17,
  localparam int Digits = qsa_pkg::NafDigits,
  localparam int AddW   = XWidth + Digits - 1,   // ±(x << 8) fits XWidth + 8 bits
  localparam int PosW   = $clog2(Digits)
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  input  logic                             load_i,
  input  logic signed [XWidth-1:0]         x_i,
  input  logic [qsa_pkg::AlphaBits-1:0]    alpha_i,
  input  logic [qsa_pkg::KWidth-1:0]       k_i,
  output logic                             busy_o,
  output logic [AddW-1:0]                  add_o,
  output logic                             cin_o
);

  localparam int NafW = qsa_pkg::NafMasksWidth;

  logic [NafW-1:0]           naf;
  logic [Digits-1:0]         naf_pos, naf_neg;
  logic [Digits-1:0]         pos_d, pos_q, neg_d, neg_q;   // digits not yet taken
  logic [qsa_pkg::KWidth-1:0] left_d, left_q;               // digits still allowed (0: all)
  logic signed [XWidth-1:0]  x_d, x_q;
  logic [Digits-1:0]         nz, above, top;
  logic [PosW-1:0]           top_pos;
  logic                      top_neg, last_allowed;

  assign naf     = qsa_pkg::naf_digits(qsa_pkg::NafMaxWidth'(alpha_i));
  assign naf_pos = naf[qsa_pkg::NafPosLsb +: Digits];
  assign naf_neg = naf[qsa_pkg::NafNegLsb +: Digits];
  assign nz  = pos_q | neg_q;

  // The most significant remaining digit: one-hot, and its position.
  assign above[Digits-1] = 1'b0;
  for (genvar i = 0; i < Digits - 1; i++) begin : g_above
    assign above[i] = |nz[Digits-1:i+1];
  end
  assign top = nz & ~above;
  always_comb begin
    top_pos = '0;
    for (int i = 0; i < Digits; i++) begin
      if (top[i]) top_pos = PosW'(i);
    end
  end
  assign top_neg      = |(top & neg_q);
  assign last_allowed = (left_q == qsa_pkg::KWidth'(1));

  always_comb begin
    pos_d  = pos_q & ~top;
    neg_d  = neg_q & ~top;
    left_d = (left_q == '0) ? '0 : left_q - qsa_pkg::KWidth'(1);
    x_d    = x_q;
    if (last_allowed) begin
      pos_d = '0;
      neg_d = '0;
    end
    if (load_i) begin
      pos_d  = naf_pos;
      neg_d  = naf_neg;
      // An 8-bit α has at most MaxK nonzero digits: k above that keeps them all, like 0.
      left_d = (k_i > qsa_pkg::KWidth'(qsa_pkg::MaxK)) ? '0 : k_i;
      x_d    = x_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pos_q  <= '0;
      neg_q  <= '0;
      left_q <= '0;
      x_q    <= '0;
    end else begin
      pos_q  <= pos_d;
      neg_q  <= neg_d;
      left_q <= left_d;
      x_q    <= x_d;
    end
  end

  logic unused_naf;
  assign unused_naf = ^{naf[qsa_pkg::NafPosLsb + Digits +: qsa_pkg::NafMaxDigits - Digits],
                        naf[qsa_pkg::NafNegLsb + Digits +: qsa_pkg::NafMaxDigits - Digits]};

  assign busy_o = |nz;
  logic [AddW-1:0] term;   // ±(x << i) - cin_o, two's complement
  assign term   = (AddW'(x_q) << top_pos) ^ {AddW{top_neg}};
  assign add_o  = {~term[AddW-1], term[AddW-2:0]};
  assign cin_o  = top_neg;

endmodule
