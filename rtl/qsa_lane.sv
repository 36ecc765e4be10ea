// One lane of a PE (spec §3, docs/architecture.md): the term β·a = ±(a << shift) of a 3-bit
// code and an activation a, with no multiplier and no negation adder: qsa_pkg::lane_term as a
// block (its comment has the circuit: a one-hot shift select, a ones' complement whose +1 is
// neg_o, and the term leaving offset by 512 as u_o). A zero code, or a zero activation (a gated
// MAC), selects nothing: u_o = 512 (a zero term), neg_o = 0. The synthesis datapath
// synth/rtl/qsa_pe_datapath.sv uses this module. rtl/qsa_pe.sv writes the same circuit out in
// its group-cycle block (so Verilator skips its lanes outside group cycles, and keeps the
// variables local: a called function's live in the model object); lane_term is checked for
// every code and activation by testbench/qsa_pkg_tb.sv, qsa_pe's copy by the co-simulation.
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

  assign {zero_o, use_o, neg_o, u_o} = qsa_pkg::lane_term(code_i, act_i);

endmodule
