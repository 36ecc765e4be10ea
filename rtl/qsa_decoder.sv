// Weight-code decoder (spec §1): Lanes codes in, per lane the shift/invert operation on the
// activation out. Purely combinational; each lane is qsa_pkg::decode_code.
//
// Lane i's code is code_i[i*3 +: 3]; with 2-bit codes (bits3_i = 0) only its low two bits are
// used. A reserved code (3-bit 111, 2-bit 11) sets reserved_o for its lane and decodes as
// zero (zero_o = 1, neg_o = 0, shift = 0), so it never contributes a value; the sequencer
// turns any reserved_o into the sticky bad-code error.
module qsa_decoder #(
  parameter int Lanes = 8
) (
  input  logic                                 bits3_i,     // 1: 3-bit codes, 0: 2-bit codes
  input  logic [Lanes*qsa_pkg::CodeWidth-1:0]  code_i,
  output logic [Lanes-1:0]                     zero_o,      // β = 0: lane skipped
  output logic [Lanes-1:0]                     neg_o,       // β < 0: activation inverted
  output logic [Lanes*qsa_pkg::ShiftWidth-1:0] shift_o,     // |β| = 1 << shift, shift 0..2
  output logic [Lanes-1:0]                     reserved_o   // reserved code on this lane
);

  localparam int CodeW  = qsa_pkg::CodeWidth;
  localparam int ShiftW = qsa_pkg::ShiftWidth;

  for (genvar i = 0; i < Lanes; i++) begin : g_lane
    logic [qsa_pkg::DecWidth-1:0] dec;

    assign dec = qsa_pkg::decode_code(code_i[i*CodeW +: CodeW], bits3_i);

    assign zero_o[i]                   = dec[qsa_pkg::DecZero];
    assign neg_o[i]                    = dec[qsa_pkg::DecNeg];
    assign shift_o[i*ShiftW +: ShiftW] = dec[qsa_pkg::DecShiftLsb +: ShiftW];
    assign reserved_o[i]               = dec[qsa_pkg::DecReserved];
  end

endmodule
