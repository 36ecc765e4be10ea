// An alternative form of the quality-scalable multiply, for the synthesis reports only (not part
// of the accelerator): Q_k(α) as a number (qsa_pkg::naf_alpha_topk, then the value pos - neg of
// the kept digits, 0..256), then one exact multiply x * Q_k(α). Same function as qsa_qs_mult's
// p_o; no per-row operand isolation.
module qs_mult_value #(
  parameter  int XWidth = 17,
  localparam int PWidth = XWidth + 10,
  localparam int Digits = qsa_pkg::NafDigits
) (
  input  logic signed [XWidth-1:0]             x_i,
  input  logic        [qsa_pkg::AlphaBits-1:0] alpha_i,
  input  logic        [qsa_pkg::KWidth-1:0]    k_i,
  output logic signed [PWidth-1:0]             p_o
);
  logic [2*Digits-1:0] kept;
  logic [Digits:0]     q;  // Q_k(α) in 0..256, one spare bit

  assign kept = qsa_pkg::naf_alpha_topk(alpha_i, k_i);
  assign q    = (Digits + 1)'(kept[0 +: Digits]) - (Digits + 1)'(kept[Digits +: Digits]);
  assign p_o  = PWidth'(x_i) * $signed({1'b0, q});
endmodule
