// QSA package: the format constants and the named arithmetic steps of docs/spec.md.
// (The file is named qsa_0_pkg.sv so that rtl/*.sv lists it before the modules that use it.)
//
// Every function here is the RTL twin of the C++ function of qsa/cmodel/arith.h named in its
// comment and must stay bit-exact with it (testbench/qsa_pkg_tb.sv, qsa_naf_recoder_tb.sv and
// qsa_qs_mult_tb.sv check that). Subset rules (docs: /work/shared/STYLE.md): no structs, no
// `return`, no `import qsa_pkg::*`; callers write `qsa_pkg::name`. Multi-field results are
// returned as flat vectors whose fields are named by the localparams next to the function.
//
// The functions called from always_comb blocks (lane_term, naf_alpha_topk and what it calls,
// naf_alpha_count, naf_mult, requantize, sat8, relu, decode_code) take their arguments and
// results apart by concatenations, casts and comparisons, not constant selects: Icarus 11 puts
// a constant select inside a called function into the calling block's sensitivity, and blocks
// then wake each other without end (testbench/README.md, "Tool pitfalls").
package qsa_pkg;

  // ---------------------------------------------------------------------------------------
  // Format constants
  // ---------------------------------------------------------------------------------------

  // Only constants some function uses live here: `verilator -Wall` flags an unused package
  // localparam in every block's lint run (UNUSEDPARAM). The limits not needed by the RTL yet
  // (kAlphaMax, kMaxVector, kMaxFanIn) are in qsa/cmodel/arith.h.

  // Spec §2: the α mantissa (kAlphaBits).
  localparam int AlphaBits = 8;

  // Spec §3: NAF digit positions of an α mantissa (kNafDigits) and the quality knob k.
  localparam int NafDigits    = AlphaBits + 1;
  localparam int MaxK         = 5;  // kMaxK: an α's NAF has at most 5 nonzero digits
  localparam int KWidth       = 3;  // k field (0 = exact; 6 and 7 behave as 0 for 8-bit α)
  localparam int PpCountWidth = $clog2(MaxK + 1);  // partial products of one α multiply

  // The NAF functions below take operands of up to NafMaxWidth bits (zero-extend narrower
  // ones): NafMaxDigits digit positions, at most 9 of them nonzero.
  localparam int NafMaxWidth    = 16;
  localparam int NafMaxDigits   = NafMaxWidth + 1;
  localparam int NafCountWidth  = 4;                 // holds a nonzero-digit count 0 .. 9
  localparam int NafValueWidth  = NafMaxDigits + 1;  // signed value of any digit masks
  // naf_digits / naf_topk return {neg mask, pos mask}: pos at [NafPosLsb +: NafMaxDigits],
  // neg at [NafNegLsb +: NafMaxDigits].
  localparam int NafMasksWidth  = 2 * NafMaxDigits;
  localparam int NafPosLsb      = 0;
  localparam int NafNegLsb      = NafMaxDigits;

  // Spec §1: weight codes. A 2-bit code uses the low 2 bits of a CodeWidth-bit field.
  localparam int CodeWidth  = 3;
  localparam int ShiftWidth = 2;  // β = ±(1 << shift), shift in 0..2
  // decode_code returns {reserved, zero, neg, shift}: fields at these positions.
  localparam int DecWidth    = 5;
  localparam int DecShiftLsb = 0;
  localparam int DecNeg      = 2;
  localparam int DecZero     = 3;
  localparam int DecReserved = 4;
  // decode_code_beta's value for a reserved code (kReservedCode).
  localparam int DECODE_RESERVED = 32'h0000_7fff;

  // Spec §4: activations, accumulator, requantize shift.
  localparam int ActWidth      = 8;
  localparam int AccWidth      = 32;
  localparam int ReqShiftWidth = 5;  // shift in 0..31

  // lane_term returns {zero, use, neg, u}: u (the term + 512, LaneUWidth bits) at [0 +:
  // LaneUWidth], then one bit each.
  localparam int LaneUWidth = ActWidth + 2;  // ±(a << 2) in 10 bits
  localparam int LaneWidth  = LaneUWidth + 3;
  localparam int LaneNeg    = LaneUWidth;
  localparam int LaneUse    = LaneUWidth + 1;
  localparam int LaneZero   = LaneUWidth + 2;

  // ---------------------------------------------------------------------------------------
  // Weight codes (spec §1)
  // ---------------------------------------------------------------------------------------

  // [decode_code], hardware form of DecodeCode(code, bits): the operation a code asks for.
  // bits3 = 1: 3-bit code 000..110 -> 0, +1, +2, +4, -1, -2, -4; 111 reserved.
  // bits3 = 0: 2-bit code (low two bits) 00..10 -> 0, +1, -1; 11 reserved.
  // A reserved code returns reserved = 1 and zero = 1, so it never acts as a value.
  // The result is looked up in a table of the 8 code values (a constant shifted by the code:
  // the same gates as a case, and one shift instead of a branch per bit in a simulator that
  // evaluates it for every lane in every cycle). Entry c at [DecWidth*c +: DecWidth] is
  // {reserved, zero, neg, shift}.
  localparam logic [8*DecWidth-1:0] DecTable3 = {
    5'b11_0_00,  // 111 reserved
    5'b00_1_10,  // 110 -4
    5'b00_1_01,  // 101 -2
    5'b00_1_00,  // 100 -1
    5'b00_0_10,  // 011 +4
    5'b00_0_01,  // 010 +2
    5'b00_0_00,  // 001 +1
    5'b01_0_00   // 000  0
  };
  localparam logic [8*DecWidth-1:0] DecTable2 = {  // the low two bits only: entries repeat
    5'b11_0_00, 5'b00_1_00, 5'b00_0_00, 5'b01_0_00,  // 111 110 101 100
    5'b11_0_00,  // x11 reserved
    5'b00_1_00,  // x10 -1
    5'b00_0_00,  // x01 +1
    5'b01_0_00   // x00  0
  };
  function automatic logic [DecWidth-1:0] decode_code(input logic [CodeWidth-1:0] code,
                                                      input logic                 bits3);
    // A cast of a shift, not a select (Icarus 11: see the header).
    decode_code = DecWidth'((bits3 ? DecTable3 : DecTable2) >> (DecWidth * 32'(code)));
  endfunction

  // DecodeCode(code, bits) exactly: β as an integer, DECODE_RESERVED for a reserved code.
  // For testbenches and co-simulation; the datapath uses decode_code's fields.
  function automatic int decode_code_beta(input logic [CodeWidth-1:0] code,
                                          input logic                 bits3);
    logic [DecWidth-1:0] dec;
    int                  mag;
    dec = decode_code(code, bits3);
    mag = 32'sd1 <<< dec[DecShiftLsb +: ShiftWidth];
    if (dec[DecReserved]) begin
      decode_code_beta = DECODE_RESERVED;
    end else if (dec[DecZero]) begin
      decode_code_beta = 32'sd0;
    end else if (dec[DecNeg]) begin
      decode_code_beta = -mag;
    end else begin
      decode_code_beta = mag;
    end
  endfunction

  // [lane_term], hardware form of β·a (spec §4: one nonzero-code term of S_v) for a 3-bit
  // code and an int8 activation a, with no multiplier and no negation adder
  // (docs/architecture.md, "Dataflow and tiling"): u - 512 + neg = β·a. The shift is a one-hot
  // select among a, a << 1 and a << 2; a negative code inverts a before the shift and fills
  // the vacated bits with ones, which gives the ones' complement -(a << shift) - 1, and neg is
  // the missing +1 (a one-bit operand of the lane adder). The 10-bit signed term t leaves as
  // u = {~t[9], t[8:0]} = t + 512, unsigned, so the lane adder subtracts 512 per lane once and
  // has no sign-extension columns. A zero or reserved code, or a zero activation (a gated MAC),
  // selects nothing: u = 512, neg = 0. use: the code is nonzero; zero: ... and a = 0. qsa_lane
  // is this function as a block; qsa_pe writes the same circuit out in its group-cycle block
  // (see there why not a call). testbench/qsa_pkg_tb.sv checks it for every code and a.
  function automatic logic [LaneWidth-1:0] lane_term(input logic [CodeWidth-1:0] code,
                                                     input logic [ActWidth-1:0]  act);
    logic                  unused_rsv, c_zero, c_neg;
    logic [ShiftWidth-1:0] shift;
    logic                  use_code, act_nz, on, neg;
    logic [LaneUWidth-1:0] ax;  // a (inverted when negative), sign-extended
    logic [LaneUWidth-1:0] t;   // ±(a << shift) in ones' complement
    logic [LaneUWidth-1:0] u;   // t + 512
    // Fields by a concatenation and shifts, no selects (Icarus 11: see the header).
    {unused_rsv, c_zero, c_neg, shift} = decode_code(code, 1'b1);  // reserved: zero too
    use_code = !c_zero;
    act_nz   = |act;
    on       = use_code && act_nz;
    neg      = on && c_neg;
    ax       = LaneUWidth'($signed(act ^ {ActWidth{neg}}));
    t        = ({LaneUWidth{on && (shift == 2'd0)}} & ax)
               | ({LaneUWidth{on && (shift == 2'd1)}} & ((ax << 1) | LaneUWidth'(neg)))
               | ({LaneUWidth{on && (shift == 2'd2)}} & ((ax << 2) | LaneUWidth'({neg, neg})));
    u         = t ^ LaneUWidth'(1 << (LaneUWidth - 1));  // {~t[9], t[8:0]}
    lane_term = (LaneWidth'(use_code && !act_nz) << LaneZero) | (LaneWidth'(use_code) << LaneUse)
                | (LaneWidth'(neg) << LaneNeg) | LaneWidth'(u);
  endfunction

  // ---------------------------------------------------------------------------------------
  // NAF recoding and the quality knob (spec §3)
  // ---------------------------------------------------------------------------------------

  // [naf_digits], twin of NafDigits(m) for an unsigned m: the non-adjacent form as two masks,
  // {neg, pos}; digit i is +1 if pos[i], -1 if neg[i], else 0. m = pos - neg, pos & neg = 0
  // and no two adjacent digits are nonzero. The NAF is unique, so this closed form
  // (Reitwiesner: with h = 3m, pos = (h & ~m) >> 1, neg = (~h & m) >> 1) gives exactly the
  // digits of the C++ digit-serial loop, with one adder instead of a carry loop.
  function automatic logic [NafMasksWidth-1:0] naf_digits(input logic [NafMaxWidth-1:0] m);
    logic [NafMaxDigits:0]   m_ext;  // m, zero-extended to the width of 3m
    logic [NafMaxDigits:0]   m3;     // 3m
    logic [NafMaxDigits-1:0] pos;
    logic [NafMaxDigits-1:0] neg;
    m_ext = {2'b00, m};
    m3    = m_ext + {1'b0, m, 1'b0};
    pos   = NafMaxDigits'((m3 & ~m_ext) >> 1);
    neg   = NafMaxDigits'((~m3 & m_ext) >> 1);
    naf_digits = {neg, pos};
  endfunction

  // Keep mask of top-k selection: of the nonzero digit positions nz, the k most significant
  // ones; k = 0 keeps all (as does any k >= the number of nonzero digits).
  function automatic logic [NafMaxDigits-1:0] naf_topk_keep(input logic [NafMaxDigits-1:0] nz,
                                                             input logic [KWidth-1:0]       k);
    logic [NafMaxDigits-1:0]  keep;
    logic [NafCountWidth-1:0] above;  // nonzero digits above the current position
    logic                     take;   // a nonzero digit at the current position
    keep  = '0;
    above = '0;
    // No branch on nz[i]: a simulator runs this once per vector on α's random digits, and a
    // branch per digit would be one the host mispredicts (docs/architecture.md, RTL rules).
    for (int i = NafMaxDigits - 1; i >= 0; i--) begin
      take  = 1'(nz >> i);
      keep  = keep | (NafMaxDigits'(take && ((k == 3'd0) || (above < NafCountWidth'(k)))) << i);
      above = above + NafCountWidth'(take);
    end
    naf_topk_keep = keep;
  endfunction

  // [naf_topk], twin of NafTopK(m, k) in mask form: the digits {neg, pos} that Q_k keeps, given
  // the NAF masks of m (from naf_digits). Q_k(m) = naf_value(naf_topk(naf_digits(m), k)).
  function automatic logic [NafMasksWidth-1:0] naf_topk(input logic [NafMasksWidth-1:0] digits,
                                                        input logic [KWidth-1:0]        k);
    logic [NafMaxDigits-1:0] pos;
    logic [NafMaxDigits-1:0] neg;
    logic [NafMaxDigits-1:0] keep;
    {neg, pos} = digits;  // NafNegLsb, NafPosLsb
    keep     = naf_topk_keep(pos | neg, k);
    naf_topk = {neg & keep, pos & keep};
  endfunction

  // Signed value pos - neg of digit masks {neg, pos}.
  function automatic logic signed [NafValueWidth-1:0] naf_value(
      input logic [NafMasksWidth-1:0] digits);
    naf_value = NafValueWidth'(digits[NafPosLsb +: NafMaxDigits]) -
                NafValueWidth'(digits[NafNegLsb +: NafMaxDigits]);
  endfunction

  // Number of nonzero digits of masks {neg, pos}. Applied to naf_topk's result it is the twin
  // of NafKeptDigits(m, k): the partial products of one Q_k multiply.
  function automatic logic [NafCountWidth-1:0] naf_count(input logic [NafMasksWidth-1:0] digits);
    logic [NafMaxDigits-1:0]  nz;
    logic [NafCountWidth-1:0] count;
    nz    = digits[NafPosLsb +: NafMaxDigits] | digits[NafNegLsb +: NafMaxDigits];
    count = '0;
    for (int i = 0; i < NafMaxDigits; i++) begin
      count = count + NafCountWidth'(nz[i]);
    end
    naf_count = count;
  endfunction

  // Q_k of an α mantissa in mask form, narrowed to its NafDigits positions: the digits
  // {neg, pos} (NafDigits bits each) of naf_topk(naf_digits(alpha), k).
  function automatic logic [2*NafDigits-1:0] naf_alpha_topk(input logic [AlphaBits-1:0] alpha,
                                                            input logic [KWidth-1:0]    k);
    logic [NafMaxDigits-NafDigits-1:0] unused_neg_high, unused_pos_high;  // always 0 for an α
    logic [NafDigits-1:0]              neg, pos;
    logic [NafMasksWidth-1:0]          masks;
    // A concatenation, not selects (Icarus 11: see the header); the call goes to a variable
    // first, as Verilator evaluates a function once per field of a concatenation it is
    // assigned to.
    masks = naf_topk(naf_digits(NafMaxWidth'(alpha)), k);
    {unused_neg_high, neg, unused_pos_high, pos} = masks;
    naf_alpha_topk = {neg, pos};
  endfunction

  // Nonzero digits of α masks {neg, pos} (at most MaxK); on naf_alpha_topk's result the twin of
  // NafKeptDigits(alpha, k).
  function automatic logic [PpCountWidth-1:0] naf_alpha_count(
      input logic [2*NafDigits-1:0] digits);
    logic [NafDigits-1:0]    neg, pos, nz;
    logic [PpCountWidth-1:0] count;
    // A concatenation and shifts, no selects (Icarus 11: see the header).
    {neg, pos} = digits;
    nz         = neg | pos;
    count      = '0;
    for (int i = 0; i < NafDigits; i++) begin
      count = count + PpCountWidth'(1'(nz >> i));
    end
    naf_alpha_count = count;
  endfunction

  // [naf_mult] x times Q for Q given by its NAF digit masks {neg, pos} (naf_alpha_topk's
  // result): the product S_v · Q_k(α) of spec §3, exact (the twin of S_v * NafTopK(α, k)).
  // A kept digit at position i adds +x << i or -x << i; no two NAF digits are adjacent, so
  // positions 2j and 2j + 1 share row j (naf_mult_row; 5 rows for 9 positions); a negative
  // digit inverts x, and the +1s of all negative digits together are the neg mask read as a
  // number, one more operand. x is NafMulXWidth bits, the vector sum of spec §4; a caller with
  // a narrower x sign-extends it and keeps the low bits it needs (the sums are exact modulo
  // 2**width).
  localparam int NafMulXWidth = 17;
  localparam int NafMulPWidth = NafMulXWidth + 10;  // x * Q fits x's width + 8; 2 spare bits
  localparam int NafMulRows   = (NafDigits + 1) / 2;

  // Row j of naf_mult: ±x << 2j or ±x << (2j + 1) (x inverted for a negative digit, its +1
  // apart), or zero when neither position holds a kept digit: x is then ANDed to zero
  // (operand isolation: an unused row does not toggle while x changes).
  function automatic logic signed [NafMulPWidth-1:0] naf_mult_row(
      input logic signed [NafMulXWidth-1:0] x, input logic [2*NafDigits-1:0] digits,
      input int j);
    logic [NafDigits-1:0]           neg, pos;
    logic                           lo, hi, row_neg;
    logic signed [NafMulPWidth-1:0] x_ext;
    // A concatenation, casts and shifts, no selects (Icarus 11: see the header).
    {neg, pos} = digits;
    lo      = 1'((neg | pos) >> (2 * j));
    hi      = 1'((neg | pos) >> (2 * j + 1));
    row_neg = 1'(neg >> (2 * j)) || 1'(neg >> (2 * j + 1));
    x_ext   = NafMulPWidth'($signed(x ^ {NafMulXWidth{row_neg}}));
    x_ext   = (lo || hi) ? x_ext : '0;
    naf_mult_row = hi ? (x_ext <<< (2 * j + 1)) : (x_ext <<< (2 * j));
  endfunction

  function automatic logic signed [NafMulPWidth-1:0] naf_mult(
      input logic signed [NafMulXWidth-1:0] x, input logic [2*NafDigits-1:0] digits);
    logic [NafDigits-1:0]           neg, unused_pos;
    logic signed [NafMulPWidth-1:0] sum;
    {neg, unused_pos} = digits;
    sum = NafMulPWidth'(neg);
    for (int j = 0; j < NafMulRows; j++) begin
      sum = sum + naf_mult_row(x, digits, j);
    end
    naf_mult = sum;
  endfunction

  // ---------------------------------------------------------------------------------------
  // Requantization and activation (spec §4)
  // ---------------------------------------------------------------------------------------

  // [sat8], twin of Saturate8(x): clamp to [-128, 127].
  function automatic logic signed [ActWidth-1:0] sat8(input logic signed [63:0] x);
    if (x > 64'sd127) begin
      sat8 = 8'sd127;
    end else if (x < -64'sd128) begin
      sat8 = -8'sd128;
    end else begin
      sat8 = ActWidth'(x);
    end
  endfunction

  // [requantize], twin of Requantize(acc, shift): arithmetic right shift by shift (0..31)
  // rounding half up (add 2^(shift-1) when shift > 0, in 64 bits), then saturate to int8.
  function automatic logic signed [ActWidth-1:0] requantize(
      input logic signed [AccWidth-1:0]      acc,
      input logic        [ReqShiftWidth-1:0] shift);
    logic signed [63:0] wide;
    logic signed [63:0] half;
    logic signed [63:0] rounded;
    wide = 64'(acc);  // sign-extended
    half = '0;
    if (shift == 5'd0) begin
      rounded = wide;
    end else begin
      half    = 64'sd1 <<< (shift - 5'd1);
      rounded = (wide + half) >>> shift;
    end
    requantize = sat8(rounded);
  endfunction

  // [relu], twin of Relu(q): max(q, 0) on an int8 value.
  function automatic logic signed [ActWidth-1:0] relu(input logic signed [ActWidth-1:0] q);
    relu = (q < 8'sd0) ? 8'sd0 : q;
  endfunction

  // ---------------------------------------------------------------------------------------
  // Vectors (spec §5)
  // ---------------------------------------------------------------------------------------

  // [vector_length], the lengths of cmodel's FilterVectors: a filter's next vector holds N
  // weights, or what is left of its channel run at this (r, s) (channel-wise) or of the
  // filter (filter-wise) when that is less.
  function automatic logic [6:0] vector_length(input logic        chanwise,
                                               input logic [6:0]  n,
                                               input logic [12:0] c_left,
                                               input logic [13:0] f_left);
    if (chanwise) begin
      vector_length = (c_left > 13'(n)) ? n : c_left[6:0];
    end else begin
      vector_length = (f_left > 14'(n)) ? n : f_left[6:0];
    end
  endfunction

endpackage
