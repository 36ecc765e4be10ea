// Baseline for the synthesis reports: an exact multiplier of the qsa_qs_mult operand widths,
// p_o = x_i * alpha_i (x signed XWidth bits, α unsigned 8 bits). Not part of the accelerator.
module exact_mult #(
  parameter  int XWidth = 17,
  localparam int PWidth = XWidth + 10  // as qsa_qs_mult's product port
) (
  input  logic signed [XWidth-1:0]            x_i,
  input  logic        [qsa_pkg::AlphaBits-1:0] alpha_i,
  output logic signed [PWidth-1:0]            p_o
);
  assign p_o = PWidth'(x_i) * $signed({1'b0, alpha_i});
endmodule
