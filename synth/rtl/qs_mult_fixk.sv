// qsa_qs_mult with its quality knob tied to the constant K (synthesis reports only): what a
// design built for one fixed k would cost, next to the runtime-k multiplier. Not part of the
// accelerator. K = 0 is the exact NAF multiplier (all digits kept).
module qs_mult_fixk #(
  parameter  int XWidth = 17,
  parameter  int K = 0,
  localparam int PWidth = XWidth + 10
) (
  input  logic signed [XWidth-1:0]             x_i,
  input  logic        [qsa_pkg::AlphaBits-1:0] alpha_i,
  output logic signed [PWidth-1:0]             p_o
);
  logic [qsa_pkg::PpCountWidth-1:0] pp_count;
  logic                             unused_pp;

  qsa_qs_mult #(.XWidth(XWidth), .Registered(0)) u_mult (
    .clk_i     (1'b0),
    .rst_ni    (1'b1),
    .x_i,
    .alpha_i,
    .k_i       (qsa_pkg::KWidth'(K)),
    .p_o,
    .pp_count_o(pp_count)
  );
  assign unused_pp = ^pp_count;
endmodule
