// One processing element (docs/architecture.md, "Accelerator RTL"): one filter of the current
// filter group. All PEs of the array run in lockstep on the same output position and the same
// chunk; the array (qsa_compute) broadcasts the chunk's window and the control, and each PE
// computes
//
//   acc = bias + Σ_v Q_k(m_v) · S_v,   S_v = Σ_{j ∈ v, code_j ≠ 0} β_j · a_j   (spec §3, §4)
//
// then bias-added requantization, ReLU and the 2x2 max-pool (spec §4 steps 2-5).
//
// Chunks. The unit of work is a chunk: one vector, or two consecutive vectors of the filter
// (v0 = the first split_i weights, v1 = the rest) when the array pairs them (both fit the
// 64-weight window). The PE's nonzero codes of the whole chunk are packed Lanes per cycle, so
// a chunk costs ceil(nnz(v0) + nnz(v1) / Lanes) cycles instead of one rounding per vector;
// each lane's term goes to S_v0 or S_v1 by its index (segmented lane sums), and each vector
// still gets its own α multiply (two multipliers).
//
// Storage. The PE holds its filter's codes (one 64-code row per chunk, codes in the uniform
// 3-bit form of qsa_code_unpack), the α mantissas (eight per 64-bit row: vector v at row
// v / 8, byte v mod 8, written a beat at a time) and two biases (one per weight half). They are written through the load
// port (ld_*); the array's sequencer places a group in one weight half of the rows (or uses
// them all), so the next group can load while a job runs on the other half (wsel_i). The array prefetches the code row and the α row of the next chunk into one
// of two slots (rd_i, one-cycle read, captured the cycle after), so a chunk's codes can be
// fetched while the previous chunk computes; rd_abyte_i picks v0's α in the row (v1's is the
// next byte: a chunk of two starts at an even vector).
//
// Pipeline, per chunk (the array guarantees the timing, nothing here stalls):
//   start_i          load the chunk from slot start_slot_i (or straight from the store when
//                    it arrives in this cycle) into the zero-skip compaction (len_i = 0 or
//                    !active_i: an empty chunk); the working codes, α's and split are kept.
//   group cycles     grp_valid_i: the compaction presents up to Lanes nonzero codes; each lane
//                    picks its activation from win_i, shifts/inverts it (the circuit of
//                    qsa_pkg::lane_term: a one-hot shift select and a ones' complement, see
//                    stage 0 below)
//                    and the lanes are summed per vector (stage 0 -> s1). A PE with fewer
//                    nonzero codes than the slowest PE of the group idles through the
//                    remaining cycles. The chunk's last group cycle carries grp_last_i, and
//                    pos_last_i when it is the last chunk of the output position.
//   s1               partial sums accumulate to S_v0 and S_v1; at the last group they go to s2.
//   s2               one multiply per vector, S_v × Q_k(α_v) (qsa_pkg::naf_mult on the kept
//                    digits of α_v, recoded by qsa_pkg::naf_alpha_topk as the vector entered s2),
//                    accumulated onto the bias; skipped when the vector has no nonzero code
//                    or α = 0. A multiplier's operands are held between the vectors that use
//                    it (operand isolation), so it switches once per multiply. At pos_last the
//                    sum goes to s3 and the accumulator restarts at the bias.
//   s3               qsa_pkg::requantize, qsa_pkg::relu, 2x2 max-pool (pool_first_i starts a
//                    window, pool_emit_i ends it) -> out_valid_o/out_o one cycle later.
// So out_valid_o follows the position's last group cycle by exactly 4 cycles.
//
// Events (per cycle, for the performance counters): ev_lanes_o = nonzero-code lanes used
// this cycle, ev_gated_o = those whose activation is zero (gated MACs); ev_mult_o and ev_pp_o
// = the multiplies (0..2) and their partial products (NAF digits kept).
module qsa_pe #(
  parameter int Lanes = 8,
  parameter int VecRows = 256,
  localparam int MaxVec = 64,
  localparam int CodeW = qsa_pkg::CodeWidth,
  localparam int IdxWidth = $clog2(MaxVec),
  localparam int LenWidth = $clog2(MaxVec + 1),
  localparam int RowWidth = $clog2(VecRows),
  localparam int ARowWidth = $clog2(VecRows / 8),
  localparam int LaneCntWidth = $clog2(Lanes + 1),
  localparam int PpWidth = qsa_pkg::PpCountWidth + 1,
  localparam int AW = qsa_pkg::ActWidth
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          clear_i,       // abandon everything in flight

  // store load port
  input  logic                          ld_code_we_i,
  input  logic                          ld_alpha_we_i,
  input  logic [RowWidth-1:0]           ld_row_i,      // code row
  input  logic [ARowWidth-1:0]          ld_arow_i,     // α row (8 mantissas)
  input  logic [7:0]                    ld_abe_i,      // ... its bytes written
  input  logic [63:0]                   ld_adata_i,
  input  logic [MaxVec*CodeW-1:0]       ld_codes_i,
  input  logic                          ld_bias_we_i,
  input  logic                          ld_half_i,     // bias of weight half 0 or 1
  input  logic [qsa_pkg::AccWidth-1:0]  ld_bias_i,

  // prefetch of a chunk's codes and α's into a slot
  input  logic                          rd_i,
  input  logic [RowWidth-1:0]           rd_row_i,
  input  logic [ARowWidth-1:0]          rd_arow_i,
  input  logic [2:0]                    rd_abyte_i,    // v0's α: byte of the row (v1's next)
  input  logic                          rd_slot_i,

  // chunk control
  input  logic                          active_i,      // this PE has a filter in the group
  input  logic                          init_i,        // a job starts: acc = its bias
  input  logic                          wsel_i,        // the job's weight half
  input  logic                          start_i,
  input  logic                          start_slot_i,
  input  logic [LenWidth-1:0]           len_i,         // weights of the chunk
  input  logic [LenWidth-1:0]           split_i,       // weights of its first vector
  input  logic                          grp_valid_i,
  input  logic                          grp_last_i,
  input  logic                          pos_last_i,
  input  logic                          pool_first_i,
  input  logic                          pool_emit_i,
  input  logic [MaxVec*AW-1:0]          win_i,         // activation j at [8*j +: 8]

  // layer configuration
  input  logic [qsa_pkg::KWidth-1:0]    k_i,
  input  logic [qsa_pkg::ReqShiftWidth-1:0] shift_i,
  input  logic                          relu_i,
  input  logic                          pool_i,

  output logic                          out_valid_o,
  output logic [AW-1:0]                 out_o,

  output logic [LaneCntWidth-1:0]       ev_lanes_o,
  output logic [LaneCntWidth-1:0]       ev_gated_o,
  output logic [1:0]                    ev_mult_o,
  output logic [PpWidth-1:0]            ev_pp_o
);

  localparam int RowBits = MaxVec * CodeW;
  localparam int AlphaB = qsa_pkg::AlphaBits;
  localparam int KeptW = 2 * qsa_pkg::NafDigits;            // {neg, pos} kept digit masks
  localparam int SWidth = qsa_pkg::NafMulXWidth;           // 17: |S_v| <= 64·4·128 (spec §4)
  localparam int PWidth = qsa_pkg::NafMulPWidth;           // qsa_pkg::naf_mult product width
  localparam int AccW = qsa_pkg::AccWidth;

  // ---------------------------------------------------------------------------------------
  // Stores and prefetch slots
  // ---------------------------------------------------------------------------------------
  logic [RowBits-1:0]  code_rdata;
  logic [8*AlphaB-1:0] alpha_rdata;   // eight α's

  qsa_mem #(.Width(RowBits), .Depth(VecRows)) u_code_store (
    .clk_i,
    .we_i   (ld_code_we_i),
    .waddr_i(ld_row_i),
    .wdata_i(ld_codes_i),
    .wbe_i  ({(RowBits / 8){1'b1}}),
    .re_i   (rd_i),
    .raddr_i(rd_row_i),
    .rdata_o(code_rdata)
  );

  qsa_mem #(.Width(8 * AlphaB), .Depth(VecRows / 8)) u_alpha_store (
    .clk_i,
    .we_i   (ld_alpha_we_i),
    .waddr_i(ld_arow_i),
    .wdata_i(ld_adata_i),
    .wbe_i  (ld_abe_i),
    .re_i   (rd_i),
    .raddr_i(rd_arow_i),
    .rdata_o(alpha_rdata)
  );

  logic                rd_q, rd_slot_q;
  logic [2:0]          rd_abyte_q;
  logic [2*AlphaB-1:0] rd_alphas;     // {α1, α0} of the chunk read
  logic [RowBits-1:0]  slot0_codes_d, slot0_codes_q, slot1_codes_d, slot1_codes_q;
  logic [2*AlphaB-1:0] slot0_alpha_d, slot0_alpha_q, slot1_alpha_d, slot1_alpha_q;
  logic [RowBits-1:0]  start_codes;
  logic [2*AlphaB-1:0] start_alpha;
  logic                rd_now;        // the chunk starting arrives from the store now

  assign rd_alphas     = (2*AlphaB)'({AlphaB'(0), alpha_rdata} >> {rd_abyte_q, 3'b000});
  assign slot0_codes_d = (rd_q && !rd_slot_q) ? code_rdata : slot0_codes_q;
  assign slot0_alpha_d = (rd_q && !rd_slot_q) ? rd_alphas : slot0_alpha_q;
  assign slot1_codes_d = (rd_q && rd_slot_q) ? code_rdata : slot1_codes_q;
  assign slot1_alpha_d = (rd_q && rd_slot_q) ? rd_alphas : slot1_alpha_q;
  // A chunk may start in the cycle its row arrives (the array's bypass): then the row comes
  // straight from the store.
  assign rd_now        = rd_q && (rd_slot_q == start_slot_i);
  assign start_codes   = rd_now ? code_rdata : (start_slot_i ? slot1_codes_q : slot0_codes_q);
  assign start_alpha   = rd_now ? rd_alphas : (start_slot_i ? slot1_alpha_q : slot0_alpha_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q          <= 1'b0;
      rd_slot_q     <= 1'b0;
      rd_abyte_q    <= '0;
      slot0_codes_q <= '0;
      slot0_alpha_q <= '0;
      slot1_codes_q <= '0;
      slot1_alpha_q <= '0;
    end else begin
      rd_q          <= rd_i;
      rd_slot_q     <= rd_slot_i;
      rd_abyte_q    <= rd_abyte_i;
      slot0_codes_q <= slot0_codes_d;
      slot0_alpha_q <= slot0_alpha_d;
      slot1_codes_q <= slot1_codes_d;
      slot1_alpha_q <= slot1_alpha_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Working chunk and zero-skip compaction
  // ---------------------------------------------------------------------------------------
  logic [RowBits-1:0]  codes_d, codes_q;
  logic [2*AlphaB-1:0] alpha_d, alpha_q;
  logic [LenWidth-1:0] split_d, split_q;
  logic                nz0_d, nz0_q, nz1_d, nz1_q;   // v0 / v1 has a nonzero code
  logic [LenWidth-1:0] zs_len;
  logic                zs_valid;
  logic [Lanes*IdxWidth-1:0] zs_idx;
  logic [Lanes-1:0]    zs_en;
  logic [LenWidth-1:0] zs_nnz;
  logic                zs_last, zs_busy, zs_empty, zs_reserved;

  // Nonzero codes of the starting chunk (codes past len_i are 000 in a code row, and a code
  // reaching a PE is never reserved: qsa_code_unpack reports those before they are stored).
  // start_nz is needed in a start_i cycle only and is all-zero otherwise (an enable: it spares
  // a simulator the 64 code tests in every other cycle). A shift by split_i = MaxVec gives all
  // zeros, so then every code is in v0.
  logic [MaxVec-1:0]   start_nz;
  logic [MaxVec-1:0]   below_split;   // code j is in v0
  always_comb begin
    start_nz = '0;
    if (start_i) begin
      for (int j = 0; j < MaxVec; j++) begin
        start_nz[j] = |start_codes[j*CodeW +: CodeW];
      end
    end
  end
  assign below_split = ~({MaxVec{1'b1}} << split_i);

  assign zs_len  = active_i ? len_i : '0;
  assign codes_d = start_i ? start_codes : codes_q;
  assign alpha_d = start_i ? start_alpha : alpha_q;
  assign split_d = start_i ? split_i : split_q;
  assign nz0_d   = start_i ? active_i && |(start_nz & below_split) : nz0_q;
  assign nz1_d   = start_i ? active_i && |(start_nz & ~below_split) : nz1_q;

  qsa_zero_skip #(.MaxVec(MaxVec), .Lanes(Lanes)) u_zero_skip (
    .clk_i,
    .rst_ni,
    .start_i   (start_i | clear_i),
    .codes_i   (start_codes),
    .len_i     (clear_i ? '0 : zs_len),
    .bits3_i   (1'b1),
    .ready_i   (1'b1),
    .valid_o   (zs_valid),
    .idx_o     (zs_idx),
    .lane_en_o (zs_en),
    .last_o    (zs_last),
    .busy_o    (zs_busy),
    .empty_o   (zs_empty),
    .nnz_o     (zs_nnz),
    .reserved_o(zs_reserved)
  );

  // The compaction's own end-of-chunk flags and count are not needed: the array sequences the
  // chunk by the group's slowest PE, and nz0/nz1 above say which vectors need a multiply.
  logic unused_zs;
  assign unused_zs = zs_last ^ zs_busy ^ zs_empty ^ zs_reserved ^ (^zs_nnz);

  // ---------------------------------------------------------------------------------------
  // Stage 0: lanes (select, decode, shift/invert) and the lane sums of v0 and v1
  // ---------------------------------------------------------------------------------------
  // Lane l is on in a group cycle when the compaction gives it a code (zs_en[l]); it takes the
  // code and the activation a at its index and forms β·a = ±(a << shift) with the circuit of
  // qsa_pkg::lane_term (a one-hot shift select and a ones' complement, no multiplier and no
  // negation adder; the term leaves offset by 512 with its +1 apart). A lane that is off takes
  // code 0 and activation 0: its term is 0 (512 in the offset form) and its inputs do not
  // toggle. Each lane adds into the sum of its own vector (v1 when its index is at or past
  // split_q); in the other vector's sum it stands as 512, i.e. zero. The lane sums subtract the
  // Lanes · 512 once, so outside group cycles, with every lane off, they are 0.
  //
  // For simulation speed the lanes are one block, evaluated in group cycles only (outside them
  // the block gives the same zeros), and each lane picks its code and activation in a branch,
  // not a select. The lane circuit is written out here rather than called: Verilator keeps a
  // called function's variables in the model object, which made qsa_top about 40 % slower.
  // qsa_lane (the block the synthesis datapath uses) is lane_term itself, checked for every code
  // and activation by testbench/qsa_pkg_tb.sv; this copy is checked bit for bit by the
  // co-simulation. The block builds everything in its own variables, takes them apart by
  // concatenations and shifts rather than constant selects, and writes each output once
  // (Icarus 11 otherwise wakes the block without end: testbench/README.md, "Tool pitfalls").
  localparam int TW = qsa_pkg::LaneUWidth;                 // ±(a << 2) in 10 bits

  logic                        grp_on;  // a group cycle with a group from the compaction
  logic signed [SWidth-1:0]    lane_sum0, lane_sum1;
  logic [LaneCntWidth-1:0]     lanes_used;    // lanes with a nonzero code
  logic [LaneCntWidth-1:0]     lanes_gated;   // ... whose activation is zero

  assign grp_on = grp_valid_i && zs_valid;

  always_comb begin : p_lanes
    logic signed [SWidth-1:0]      sum0, sum1;
    logic [LaneCntWidth-1:0]       used, gated;
    logic [IdxWidth-1:0]           idx;
    logic [CodeW-1:0]              code;
    logic [AW-1:0]                 act;
    logic                          v1;     // the lane's code is of the chunk's second vector
    logic                          unused_rsv, c_zero, c_neg;  // a reserved code: zero too
    logic [qsa_pkg::ShiftWidth-1:0] shift;
    logic                          use_code, act_nz, on, neg;
    logic [TW-1:0]                 ax;     // a (inverted when negative), sign-extended
    logic [TW-1:0]                 t;      // ±(a << shift) in ones' complement
    logic [TW-1:0]                 u;      // t + 512
    logic [TW-1:0]                 u0, u1; // ... or 512 (zero), in v0's and v1's sum
    sum0       = '0;
    sum1       = '0;
    used       = '0;
    gated      = '0;
    idx        = '0;
    code       = '0;
    act        = '0;
    v1         = 1'b0;
    unused_rsv = 1'b0;
    c_zero     = 1'b0;
    c_neg      = 1'b0;
    shift      = '0;
    use_code   = 1'b0;
    act_nz     = 1'b0;
    on         = 1'b0;
    neg        = 1'b0;
    ax         = '0;
    t          = '0;
    u          = '0;
    u0         = '0;
    u1         = '0;
    if (grp_on) begin
      sum0 = -SWidth'(Lanes << (TW - 1));
      sum1 = -SWidth'(Lanes << (TW - 1));
      for (int l = 0; l < Lanes; l++) begin
        idx  = zs_idx[l*IdxWidth +: IdxWidth];
        code = '0;
        act  = '0;
        v1   = 1'b0;
        if (zs_en[l]) begin
          code = codes_q[idx*CodeW +: CodeW];
          act  = win_i[idx*AW +: AW];
          v1   = LenWidth'(idx) >= split_q;
        end
        // qsa_pkg::lane_term(code, act)
        {unused_rsv, c_zero, c_neg, shift} = qsa_pkg::decode_code(code, 1'b1);
        use_code = !c_zero;
        act_nz   = |act;
        on       = use_code && act_nz;
        neg      = on && c_neg;
        ax       = TW'($signed(act ^ {AW{neg}}));
        t        = ({TW{on && (shift == 2'd0)}} & ax)
                   | ({TW{on && (shift == 2'd1)}} & ((ax << 1) | TW'(neg)))
                   | ({TW{on && (shift == 2'd2)}} & ((ax << 2) | TW'({neg, neg})));
        u        = t ^ TW'(1 << (TW - 1));
        // The lane's operands of the two sums, then one adder chain per sum (synthesis makes
        // each chain one carry-save tree).
        u0   = v1 ? TW'(1 << (TW - 1)) : u;
        u1   = v1 ? u : TW'(1 << (TW - 1));
        sum0 = sum0 + SWidth'(u0) + SWidth'(neg && !v1);
        sum1 = sum1 + SWidth'(u1) + SWidth'(neg && v1);
        used  = used + LaneCntWidth'(use_code);
        gated = gated + LaneCntWidth'(use_code && !act_nz);
      end
    end
    lane_sum0   = sum0;
    lane_sum1   = sum1;
    lanes_used  = used;
    lanes_gated = gated;
  end

  // s1: the partial sums of this cycle and the chunk's flags
  logic                          s1_valid_d, s1_valid_q;
  logic signed [SWidth-1:0]      s1_sum0_d, s1_sum0_q, s1_sum1_d, s1_sum1_q;
  logic                          s1_last_d, s1_last_q;
  logic [2:0]                    s1_pos_d, s1_pos_q;   // {pos_last, pool_first, pool_emit}
  logic [1:0]                    s1_nz_d, s1_nz_q;     // {v1, v0} has a nonzero code
  logic [2*AlphaB-1:0]           s1_alpha_d, s1_alpha_q;

  assign s1_valid_d = grp_valid_i && !clear_i;
  assign s1_sum0_d  = lane_sum0;
  assign s1_sum1_d  = lane_sum1;
  assign s1_last_d  = grp_last_i;
  assign s1_pos_d   = {pos_last_i, pool_first_i, pool_emit_i};
  assign s1_nz_d    = {nz1_q, nz0_q};
  assign s1_alpha_d = alpha_q;

  // ---------------------------------------------------------------------------------------
  // Stage 1: the vector sums S_v0, S_v1
  // ---------------------------------------------------------------------------------------
  logic signed [SWidth-1:0]      sacc0_d, sacc0_q, sacc1_d, sacc1_q;
  logic signed [SWidth-1:0]      s_final0, s_final1;
  logic                          s2_valid_d, s2_valid_q;
  logic signed [SWidth-1:0]      s2_sum0_d, s2_sum0_q, s2_sum1_d, s2_sum1_q;
  logic [2:0]                    s2_pos_d, s2_pos_q;
  logic [1:0]                    s2_mul_d, s2_mul_q;   // the multiplies needed {v1, v0}
  logic [2*KeptW-1:0]            s2_kept_d, s2_kept_q; // {v1, v0}: kept digit masks of α

  assign s_final0 = sacc0_q + s1_sum0_q;
  assign s_final1 = sacc1_q + s1_sum1_q;

  // Each vector's α is recoded as it enters s2, one stage before its multiply (NAF, then the
  // top k digits: qsa_pkg::naf_alpha_topk, the function qsa_naf_recoder is built from), and s2
  // holds the kept digit masks: the multipliers' row enables then come from a register and are
  // settled when S_v reaches the rows, instead of settling through the recoder while the rows
  // switch (glitches: docs/synthesis.md, "Glitch-aware variant"). The recoding sits in the
  // branch that loads s2, so a simulator evaluates it once per multiply.
  always_comb begin
    sacc0_d    = sacc0_q;
    sacc1_d    = sacc1_q;
    s2_valid_d = 1'b0;
    s2_sum0_d  = s2_sum0_q;
    s2_sum1_d  = s2_sum1_q;
    s2_pos_d   = s2_pos_q;
    s2_mul_d   = s2_mul_q;
    s2_kept_d  = s2_kept_q;
    if (clear_i) begin
      sacc0_d = '0;
      sacc1_d = '0;
    end else if (s1_valid_q) begin
      sacc0_d = s1_last_q ? '0 : s_final0;
      sacc1_d = s1_last_q ? '0 : s_final1;
      if (s1_last_q) begin
        s2_valid_d  = 1'b1;
        s2_pos_d    = s1_pos_q;
        s2_mul_d[0] = s1_nz_q[0] && (s1_alpha_q[0 +: AlphaB] != '0);
        s2_mul_d[1] = s1_nz_q[1] && (s1_alpha_q[AlphaB +: AlphaB] != '0);
        // A multiplier's operands change only for a vector that needs it (operand isolation
        // by holding: between vectors and for skipped ones its inputs, so its nets, stay put).
        if (s2_mul_d[0]) begin
          s2_sum0_d             = s_final0;
          s2_kept_d[0 +: KeptW] = qsa_pkg::naf_alpha_topk(s1_alpha_q[0 +: AlphaB], k_i);
        end
        if (s2_mul_d[1]) begin
          s2_sum1_d                 = s_final1;
          s2_kept_d[KeptW +: KeptW] = qsa_pkg::naf_alpha_topk(s1_alpha_q[AlphaB +: AlphaB], k_i);
        end
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: one quality-scalable multiply per vector, accumulation onto the bias
  // ---------------------------------------------------------------------------------------
  logic [1:0]                       mul_now;   // multiplies done this cycle

  // The multiplies see the held S_v and kept digits of the last vector that needed them; a
  // product counts only in the cycle its multiply is done.
  assign mul_now = s2_valid_q ? s2_mul_q : 2'b00;

  // The partial products of this cycle's multiplies (the events), counted from the kept digit
  // masks in a multiply cycle only, so a simulator does not count them in every cycle.
  logic [PpWidth-1:0] pp_events;
  always_comb begin : p_pp_events
    logic [qsa_pkg::PpCountWidth-1:0] c0, c1;
    c0 = '0;
    c1 = '0;
    if (mul_now[0]) c0 = qsa_pkg::naf_alpha_count(s2_kept_q[0 +: KeptW]);
    if (mul_now[1]) c1 = qsa_pkg::naf_alpha_count(s2_kept_q[KeptW +: KeptW]);
    pp_events = PpWidth'(c0) + PpWidth'(c1);
  end

  logic signed [AccW-1:0] bias0_d, bias0_q, bias1_d, bias1_q, bias_sel;
  logic signed [AccW-1:0] acc_d, acc_q;
  logic                   s3_valid_d, s3_valid_q;
  logic signed [AccW-1:0] s3_acc_d, s3_acc_q;
  logic [1:0]             s3_pool_d, s3_pool_q;  // {pool_first, pool_emit}

  assign bias0_d  = (ld_bias_we_i && !ld_half_i) ? ld_bias_i : bias0_q;
  assign bias1_d  = (ld_bias_we_i && ld_half_i) ? ld_bias_i : bias1_q;
  assign bias_sel = wsel_i ? bias1_q : bias0_q;
  // The multiplies (qsa_pkg::naf_mult, the rows of qsa_naf_mult) and the accumulation, written
  // in the s2 branch: a simulator computes the products only in a cycle that uses them. The
  // gates are what the branch asks for: each product is gated by s2_mul_q only (the defaults
  // above the branch), which changes once per vector, so the multipliers' operands and the
  // adder's inputs stay still between vectors; the branch selects the adder's output.
  always_comb begin : p_acc
    logic signed [PWidth-1:0] product0, product1;
    logic signed [AccW-1:0]   acc_sum;
    product0   = '0;
    product1   = '0;
    acc_sum    = '0;
    acc_d      = acc_q;
    s3_valid_d = 1'b0;
    s3_acc_d   = s3_acc_q;
    s3_pool_d  = s3_pool_q;
    if (clear_i || init_i) begin
      acc_d = bias_sel;
    end else if (s2_valid_q) begin
      if (s2_mul_q[0]) product0 = qsa_pkg::naf_mult(s2_sum0_q, s2_kept_q[0 +: KeptW]);
      if (s2_mul_q[1]) product1 = qsa_pkg::naf_mult(s2_sum1_q, s2_kept_q[KeptW +: KeptW]);
      acc_sum = acc_q + AccW'(product0) + AccW'(product1);
      if (s2_pos_q[2]) begin
        s3_valid_d = 1'b1;
        s3_acc_d   = acc_sum;
        s3_pool_d  = s2_pos_q[1:0];
        acc_d      = bias_sel;
      end else begin
        acc_d = acc_sum;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 3: requantize, ReLU, 2x2 max-pool
  // ---------------------------------------------------------------------------------------
  logic signed [AW-1:0] q_req, q_act, pool_max, q_out;
  logic signed [AW-1:0] pmax_d, pmax_q;
  logic                 out_valid_d, out_valid_q;
  logic [AW-1:0]        out_d, out_q;

  // Computed in the s3 branch only (a simulator skips them in other cycles).
  always_comb begin
    pmax_d      = pmax_q;
    out_valid_d = 1'b0;
    out_d       = out_q;
    q_req       = '0;
    q_act       = '0;
    pool_max    = '0;
    q_out       = '0;
    if (s3_valid_q && !clear_i) begin
      q_req    = qsa_pkg::requantize(s3_acc_q, shift_i);
      q_act    = relu_i ? qsa_pkg::relu(q_req) : q_req;
      pool_max = (q_act > pmax_q) ? q_act : pmax_q;
      q_out    = s3_pool_q[1] ? q_act : pool_max;
      if (!pool_i) begin
        out_valid_d = 1'b1;
        out_d       = q_act;
      end else begin
        pmax_d = q_out;
        if (s3_pool_q[0]) begin
          out_valid_d = 1'b1;
          out_d       = q_out;
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      codes_q     <= '0;
      alpha_q     <= '0;
      split_q     <= '0;
      nz0_q       <= 1'b0;
      nz1_q       <= 1'b0;
      s1_valid_q  <= 1'b0;
      s1_sum0_q   <= '0;
      s1_sum1_q   <= '0;
      s1_last_q   <= 1'b0;
      s1_pos_q    <= '0;
      s1_nz_q     <= '0;
      s1_alpha_q  <= '0;
      sacc0_q     <= '0;
      sacc1_q     <= '0;
      s2_valid_q  <= 1'b0;
      s2_sum0_q   <= '0;
      s2_sum1_q   <= '0;
      s2_pos_q    <= '0;
      s2_mul_q    <= '0;
      s2_kept_q   <= '0;
      bias0_q     <= '0;
      bias1_q     <= '0;
      acc_q       <= '0;
      s3_valid_q  <= 1'b0;
      s3_acc_q    <= '0;
      s3_pool_q   <= '0;
      pmax_q      <= '0;
      out_valid_q <= 1'b0;
      out_q       <= '0;
    end else begin
      codes_q     <= codes_d;
      alpha_q     <= alpha_d;
      split_q     <= split_d;
      nz0_q       <= nz0_d;
      nz1_q       <= nz1_d;
      s1_valid_q  <= s1_valid_d;
      s1_sum0_q   <= s1_sum0_d;
      s1_sum1_q   <= s1_sum1_d;
      s1_last_q   <= s1_last_d;
      s1_pos_q    <= s1_pos_d;
      s1_nz_q     <= s1_nz_d;
      s1_alpha_q  <= s1_alpha_d;
      sacc0_q     <= sacc0_d;
      sacc1_q     <= sacc1_d;
      s2_valid_q  <= s2_valid_d;
      s2_sum0_q   <= s2_sum0_d;
      s2_sum1_q   <= s2_sum1_d;
      s2_pos_q    <= s2_pos_d;
      s2_mul_q    <= s2_mul_d;
      s2_kept_q   <= s2_kept_d;
      bias0_q     <= bias0_d;
      bias1_q     <= bias1_d;
      acc_q       <= acc_d;
      s3_valid_q  <= s3_valid_d;
      s3_acc_q    <= s3_acc_d;
      s3_pool_q   <= s3_pool_d;
      pmax_q      <= pmax_d;
      out_valid_q <= out_valid_d;
      out_q       <= out_d;
    end
  end

  assign out_valid_o = out_valid_q;
  assign out_o       = out_q;
  assign ev_lanes_o  = lanes_used;
  assign ev_gated_o  = lanes_gated;
  assign ev_mult_o   = mul_now;
  assign ev_pp_o     = pp_events;

endmodule
