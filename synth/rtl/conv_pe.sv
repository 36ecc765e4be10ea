// Baseline for the synthesis reports (docs/synthesis.md): a conventional int8 PE of Lanes lanes.
// Not part of the accelerator; synth/run_synth.py synthesizes it next to qsa_pe_datapath.sv.
//
// Per cycle, valid_i: Lanes exact signed 8x8 products a_l * w_l, summed by an adder tree into
// a registered partial sum (s1), which the next cycle accumulates into a 32-bit accumulator:
// the same register structure as the QSA datapath (lane sum -> s1 -> ... -> 32-bit
// accumulator). clr_i restarts the accumulator at zero. No zero gating (a conventional PE).
module conv_pe #(
  parameter  int Lanes = 8,
  localparam int AW = 8,
  localparam int SumW = 2 * AW + $clog2(Lanes),  // Σ of Lanes signed 16-bit products
  localparam int AccW = 32
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  clr_i,
  input  logic                  valid_i,
  input  logic [Lanes*AW-1:0]   act_i,     // lane l's activation at [l*8 +: 8]
  input  logic [Lanes*AW-1:0]   wgt_i,     // lane l's int8 weight at [l*8 +: 8]
  output logic [AccW-1:0]       acc_o
);

  logic signed [SumW-1:0] psum;

  always_comb begin
    psum = '0;
    for (int l = 0; l < Lanes; l++) begin
      psum = psum + SumW'($signed(act_i[l*AW +: AW]) * $signed(wgt_i[l*AW +: AW]));
    end
  end

  logic                   s1_valid_d, s1_valid_q;
  logic signed [SumW-1:0] s1_sum_d, s1_sum_q;
  logic signed [AccW-1:0] acc_d, acc_q;

  assign s1_valid_d = valid_i;
  assign s1_sum_d   = valid_i ? psum : s1_sum_q;
  assign acc_d      = clr_i ? '0 : (s1_valid_q ? acc_q + AccW'(s1_sum_q) : acc_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s1_sum_q   <= '0;
      acc_q      <= '0;
    end else begin
      s1_valid_q <= s1_valid_d;
      s1_sum_q   <= s1_sum_d;
      acc_q      <= acc_d;
    end
  end

  assign acc_o = acc_q;

endmodule
