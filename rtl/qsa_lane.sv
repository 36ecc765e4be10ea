// One lane of a PE (spec §3, docs/architecture.md): the term β·a = ±(a << shift) of a 3-bit
// code and an activation a, with no multiplier and no negation adder.
//   - The shift is a one-hot select among a, a << 1 and a << 2, decoded straight from the code
//     (qsa_pkg::decode_code: 001/100 shift 0, 010/101 shift 1, 011/110 shift 2).
//   - A negative code inverts a before the shift and fills the vacated bits with ones, which
//     gives the ones' complement ~(a << shift) = -(a << shift) - 1. The missing +1 is neg_o,
//     a one-bit operand of the lane adder, so a lane costs gates, not an adder.
//   - The 10-bit signed term t leaves as u_o = {~t[9], t[8:0]} = t + 512, an unsigned number;
//     the lane adder subtracts 512 per lane once and has no sign-extension columns.
// A zero code, or a zero activation (a gated MAC), selects nothing: u_o = 512 (a zero term),
// neg_o = 0, and the lane's gates do not toggle. rtl/qsa_pe.sv and the synthesis datapath
// synth/rtl/qsa_pe_datapath.sv both use this module, so they cannot drift apart.
module qsa_lane #(
  localparam int AW = qsa_pkg::ActWidth,
  localparam int TW = AW + 2                    // ±(a << 2) in 10 bits
) (
  input  logic [qsa_pkg::CodeWidth-1:0] code_i,  // 0 for a lane that is off
  input  logic [AW-1:0]                 act_i,
  output logic [TW-1:0]                 u_o,     // the term + 512
  output logic                          neg_o,   // the +1 of a negative term's complement
  output logic                          use_o,   // a nonzero code
  output logic                          zero_o   // ... whose activation is zero (gated)
);

  logic [qsa_pkg::DecWidth-1:0]   dec;
  logic [qsa_pkg::ShiftWidth-1:0] shift;
  logic                           act_nz, on, sel0, sel1, sel2;
  logic [TW-1:0]                  ax;  // a (inverted when negative), sign-extended
  logic [TW-1:0]                  t;   // ±(a << shift) in ones' complement

  assign dec    = qsa_pkg::decode_code(code_i, 1'b1);
  assign shift  = dec[qsa_pkg::DecShiftLsb +: qsa_pkg::ShiftWidth];
  assign act_nz = |act_i;
  // A reserved code decodes as zero (and never reaches a PE: qsa_code_unpack rejects it).
  assign use_o  = !dec[qsa_pkg::DecZero];
  assign zero_o = use_o && !act_nz;
  assign on     = use_o && act_nz;
  assign sel0   = on && (shift == 2'd0);
  assign sel1   = on && (shift == 2'd1);
  assign sel2   = on && (shift == 2'd2);
  assign neg_o  = on && dec[qsa_pkg::DecNeg];
  assign ax     = TW'($signed(act_i ^ {AW{neg_o}}));
  assign t      = ({TW{sel0}} & ax)
                  | ({TW{sel1}} & {ax[TW-2:0], neg_o})
                  | ({TW{sel2}} & {ax[TW-3:0], neg_o, neg_o});
  assign u_o    = {~t[TW-1], t[TW-2:0]};

endmodule
