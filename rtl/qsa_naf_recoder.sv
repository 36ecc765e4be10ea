// NAF recoder with top-k digit selection (spec §3). Purely combinational.
//
// Recodes the unsigned operand op_i into its non-adjacent form, Width + 1 digits in {-1, 0, +1}
// given as two masks: digit i is +1 if pos_o[i], -1 if neg_o[i], else 0 (op_i = pos_o - neg_o).
// kept_pos_o / kept_neg_o are the digits Q_k keeps: the k_i most significant nonzero digits,
// all of them when k_i = 0 or k_i >= their number. Both steps are qsa_pkg functions
// (naf_digits, naf_topk), which take operands of up to qsa_pkg::NafMaxWidth bits.
module qsa_naf_recoder #(
  parameter  int Width  = 8,  // operand bits, 1 .. qsa_pkg::NafMaxWidth
  localparam int Digits = Width + 1
) (
  input  logic [Width-1:0]           op_i,
  input  logic [qsa_pkg::KWidth-1:0] k_i,         // 0 = keep all digits
  output logic [Digits-1:0]          pos_o,       // NAF digits equal to +1
  output logic [Digits-1:0]          neg_o,       // NAF digits equal to -1
  output logic [Digits-1:0]          kept_pos_o,  // +1 digits kept at k_i
  output logic [Digits-1:0]          kept_neg_o   // -1 digits kept at k_i
);

  localparam int OpW    = qsa_pkg::NafMaxWidth;
  localparam int MaxDig = qsa_pkg::NafMaxDigits;
  localparam int PosLsb = qsa_pkg::NafPosLsb;
  localparam int NegLsb = qsa_pkg::NafNegLsb;

  // Digit masks {neg, pos} of the zero-extended operand, all and kept.
  logic [qsa_pkg::NafMasksWidth-1:0] digits;
  logic [qsa_pkg::NafMasksWidth-1:0] kept;

  assign digits = qsa_pkg::naf_digits(OpW'(op_i));
  assign kept   = qsa_pkg::naf_topk(digits, k_i);

  assign pos_o      = digits[PosLsb +: Digits];
  assign neg_o      = digits[NegLsb +: Digits];
  assign kept_pos_o = kept[PosLsb +: Digits];
  assign kept_neg_o = kept[NegLsb +: Digits];

  // Digit positions above Digits are always zero for a Width-bit operand.
  if (Digits < MaxDig) begin : g_unused_high
    logic unused_high;
    assign unused_high = ^{digits[PosLsb + Digits +: MaxDig - Digits],
                           digits[NegLsb + Digits +: MaxDig - Digits],
                           kept[PosLsb + Digits +: MaxDig - Digits],
                           kept[NegLsb + Digits +: MaxDig - Digits]};
  end

endmodule
