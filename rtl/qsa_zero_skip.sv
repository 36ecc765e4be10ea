// Zero-skip compaction of one PE (docs/architecture.md, "Accelerator RTL").
//
// All PEs share one vector window; each PE picks the activations of its nonzero-code weights
// from it. This block turns one filter's code vector into groups of up to Lanes indices of
// nonzero codes, so a zero code costs no lane slot and a vector costs ceil(nnz / Lanes)
// cycles.
//
// Protocol
// - start_i (one-cycle pulse) loads a vector: codes_i (code j at [3*j +: 3]), len_i (1..MaxVec;
//   codes at index >= len_i are ignored) and bits3_i (1: 3-bit codes, 0: 2-bit codes in the low
//   two bits). Each code is classified with qsa_pkg::decode_code; a reserved code (111, 11)
//   among the first len_i codes sets reserved_o and counts as zero, so it is never emitted.
// - From the next cycle on, nnz_o (number of nonzero codes) and reserved_o hold until the next
//   start_i. If nnz = 0, nothing is emitted: busy_o stays low and empty_o pulses for one cycle.
// - Otherwise busy_o and valid_o are high while groups remain. Each group holds the next
//   up-to-Lanes nonzero indices in ascending order: lane i carries idx_o[i*IdxWidth +: IdxWidth]
//   when lane_en_o[i]; enabled lanes are packed from lane 0, disabled lanes show index 0.
//   last_o marks the vector's last group. A group is consumed in a cycle with valid_o and
//   ready_i high (one group per cycle at full rate); valid_o, idx_o, lane_en_o and last_o do
//   not depend on ready_i in the same cycle.
// - start_i has priority: asserted while busy it drops what is left of the current vector and
//   loads the new one (asserting it together with ready_i on the last group gives back-to-back
//   vectors without an idle cycle).
//
// Structure: a mask of the nonzero codes not yet emitted, set from the codes in the start_i
// cycle. Each cycle a chain of Lanes lowest-set-bit steps picks the mask's lowest Lanes set
// bits (lane l gets the l-th lowest); an accepted group clears them from the mask.
module qsa_zero_skip #(
  parameter int MaxVec = 64,  // codes per vector
  parameter int Lanes = 8,
  localparam int CodeW = qsa_pkg::CodeWidth,
  localparam int IdxWidth = $clog2(MaxVec),      // 6: index of a code within the vector
  localparam int LenWidth = $clog2(MaxVec + 1)   // 7: a length or count 0..MaxVec
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  input  logic                      start_i,     // pulse: load a new vector
  input  logic [MaxVec*CodeW-1:0]   codes_i,     // code j at [3*j +: 3]
  input  logic [LenWidth-1:0]       len_i,       // vector length 1..MaxVec
  input  logic                      bits3_i,     // 1: 3-bit codes, 0: 2-bit codes
  input  logic                      ready_i,     // downstream accepts this cycle's group
  output logic                      valid_o,     // a group is presented
  output logic [Lanes*IdxWidth-1:0] idx_o,       // per lane: index of its code in the vector
  output logic [Lanes-1:0]          lane_en_o,   // per lane: carries a nonzero code
  output logic                      last_o,      // this is the vector's last group
  output logic                      busy_o,      // groups remain
  output logic                      empty_o,     // pulse: the loaded vector had no nonzero code
  output logic [LenWidth-1:0]       nnz_o,       // nonzero codes of the loaded vector
  output logic                      reserved_o   // a reserved code was among the first len codes
);

  localparam int DecW = qsa_pkg::DecWidth;

  // ---------------------------------------------------------------------------------------
  // Classification of the incoming vector (used in the start_i cycle only)
  // ---------------------------------------------------------------------------------------
  // The codes are classified only in a start_i cycle and are all-zero otherwise: the result
  // is used in no other cycle, and the guard spares a simulator the 64 look-ups and the count
  // in every other cycle (in hardware it is an enable, operand isolation of the classifier).
  //
  // Two things keep Icarus 11.0 (Debian 12) out of a zero-delay loop here:
  // - The always_comb calls no function. decode_code reads its argument through a constant
  //   select (code[1:0]), and Icarus then makes every always_comb that calls it sensitive to
  //   that argument, one variable shared by all callers ("sorry: constant selects in always_*
  //   processes ... all bits will be included"): the compactions of two PEs, each decoding in
  //   a start cycle, woke each other forever. The codes are looked up instead in a table of
  //   decode_code's zero and reserved fields for the 2**CodeW code values, continuous
  //   assignments that change only with bits3_i.
  // - The block works on its own variables and writes each output once, at the end, so an
  //   output changes at most once per run (why that matters: see the group selection).
  logic [2**CodeW-1:0] code_zero;  // bit c: code value c decodes to zero (reserved ones too)
  logic [2**CodeW-1:0] code_rsv;   // bit c: code value c is reserved

  for (genvar c = 0; c < 2**CodeW; c++) begin : g_code_tab
    logic [DecW-1:0] dec;
    logic            unused_dec;

    assign dec          = qsa_pkg::decode_code(CodeW'(c), bits3_i);
    // decode_code sets zero for a reserved code too, so a reserved code is never nonzero.
    assign code_zero[c] = dec[qsa_pkg::DecZero];
    assign code_rsv[c]  = dec[qsa_pkg::DecReserved];
    // neg and shift are the decoder's business (qsa_decoder).
    assign unused_dec   = ^dec;
  end

  logic [MaxVec-1:0]   len_mask;  // bit j: j < len_i
  logic [MaxVec-1:0]   nz_in;     // nonzero (and not reserved) within len
  logic [MaxVec-1:0]   rsv_in;    // reserved within len
  logic [LenWidth-1:0] nnz_in;

  // A shift by len_i >= MaxVec gives all zeros, so every code is within len.
  assign len_mask = ~({MaxVec{1'b1}} << len_i);

  always_comb begin : p_classify
    logic [MaxVec-1:0]   nz, rsv;
    logic [LenWidth-1:0] cnt;
    nz  = '0;
    rsv = '0;
    cnt = '0;
    if (start_i) begin
      for (int j = 0; j < MaxVec; j++) begin
        nz[j]  = ~code_zero[codes_i[j*CodeW +: CodeW]];
        rsv[j] = code_rsv[codes_i[j*CodeW +: CodeW]];
      end
      nz  = nz & len_mask;
      rsv = rsv & len_mask;
      for (int j = 0; j < MaxVec; j++) begin
        cnt = cnt + LenWidth'(nz[j]);
      end
    end
    nz_in  = nz;
    rsv_in = rsv;
    nnz_in = cnt;
  end

  // ---------------------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------------------
  logic [MaxVec-1:0]   mask_d, mask_q;    // nonzero codes not yet emitted
  logic [LenWidth-1:0] nnz_d, nnz_q;
  logic                rsv_d, rsv_q;
  logic                empty_d, empty_q;

  // ---------------------------------------------------------------------------------------
  // Group selection: the lowest Lanes set bits of mask_q
  // ---------------------------------------------------------------------------------------
  // A chain of Lanes steps over the remaining mask m: lane l takes the lowest set bit of m
  // (m & -m, one-hot), its index is the binary encoding of that one-hot bit (index bit b is
  // set when the bit lies in idx_pat's b-th pattern, the positions j with bit b of j set),
  // and the step clears it (m & (m - 1)). With no bit left the lane is disabled and shows
  // index 0. What is left after the last lane is the mask without this cycle's group.
  //
  // The chain runs only while codes are left (mask_q != 0). That changes no value (with
  // mask_q = 0 every index is 0 and nothing is left), but a simulator that evaluates every
  // block every cycle (Verilator) then skips it while the PE is idle: most cycles of a
  // memory-bound layer. The guard is on the whole chain, not on each lane's step: a lane
  // guard is a branch that the host mispredicts as lanes empty at random (14 % more
  // mispredicted branches in the LeNet-5 run), and a guard on each step's m puts a 64-bit
  // select per lane into the netlist (+13 % area; this guard: about +2 %).
  //
  // Icarus 11.0 (Debian 12) links the sensitivity events of its always_comb blocks into one
  // chain through their shared time-0 trigger (its bug #508, fixed in 12.0), so a change that
  // wakes one always_comb also wakes others. A block woken with unchanged inputs must not
  // change its outputs, or Icarus never leaves time 0 (qsa_pe's lanes read idx_o). So the
  // block works on its own variables and writes each output once, at the end, as p_classify
  // does: woken again, it writes the same values, and an unchanged value wakes nobody.
  logic [IdxWidth*MaxVec-1:0] idx_pat;   // pattern b at [b*MaxVec +: MaxVec]: bit j = j[b]

  for (genvar b = 0; b < IdxWidth; b++) begin : g_idx_pat
    for (genvar j = 0; j < MaxVec; j++) begin : g_pos
      assign idx_pat[b*MaxVec + j] = 1'((j >> b) & 1);
    end
  end

  logic [Lanes*IdxWidth-1:0] idx;
  logic [Lanes-1:0]          lane_en;
  logic [MaxVec-1:0]         mask_rest;  // what remains after this cycle's group

  always_comb begin : p_pick
    logic [MaxVec-1:0]         m;     // the mask not yet taken by lanes 0..l-1
    logic [MaxVec-1:0]         low;   // its lowest set bit
    logic [IdxWidth-1:0]       li;    // lane l's index
    logic [Lanes*IdxWidth-1:0] ix;
    logic [Lanes-1:0]          en;
    m    = mask_q;
    low  = '0;
    li   = '0;
    ix   = '0;
    en   = '0;
    // Bits are ORed into words by shifts, not written one by one: Verilator turns a variable
    // bit write into a read-modify-write through a temporary in the model object.
    if (mask_q != '0) begin
      for (int l = 0; l < Lanes; l++) begin
        low = m & (~m + MaxVec'(1));
        en  = en | (Lanes'(|m) << l);
        m   = m & (m - MaxVec'(1));
        li  = '0;
        for (int b = 0; b < IdxWidth; b++) begin
          li = li | (IdxWidth'(|(low & idx_pat[b*MaxVec +: MaxVec])) << b);
        end
        ix = ix | ((Lanes*IdxWidth)'(li) << (l * IdxWidth));
      end
    end
    idx       = ix;
    lane_en   = en;
    mask_rest = m;
  end

  logic              valid;

  assign valid     = |mask_q;

  always_comb begin
    mask_d  = mask_q;
    nnz_d   = nnz_q;
    rsv_d   = rsv_q;
    empty_d = 1'b0;
    if (start_i) begin
      mask_d  = nz_in;
      nnz_d   = nnz_in;
      rsv_d   = |rsv_in;
      empty_d = (nnz_in == '0);
    end else if (valid && ready_i) begin
      mask_d = mask_rest;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mask_q  <= '0;
      nnz_q   <= '0;
      rsv_q   <= 1'b0;
      empty_q <= 1'b0;
    end else begin
      mask_q  <= mask_d;
      nnz_q   <= nnz_d;
      rsv_q   <= rsv_d;
      empty_q <= empty_d;
    end
  end

  assign valid_o    = valid;
  assign busy_o     = valid;
  assign idx_o      = idx;
  assign lane_en_o  = lane_en;
  assign last_o     = valid & ~(|mask_rest);
  assign empty_o    = empty_q;
  assign nnz_o      = nnz_q;
  assign reserved_o = rsv_q;

endmodule
