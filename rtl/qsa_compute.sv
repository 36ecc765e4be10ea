// The PE array and its control (docs/architecture.md, "Accelerator RTL"): computes one band of
// output rows for one filter group, whose codes, α's and biases the sequencer (qsa_seq) has
// already loaded into the PEs.
//
// A job (job_start_i) covers computed rows [job_y0_i, job_y1_i) (spec §8 v2: only positions
// that survive pooling are computed) for filters [job_ch0_i, job_ch0_i + popcount(active)).
// Positions are visited row by row; when pooling, in 2x2 window order (py, px, dy, dx), so each
// PE's max-pool needs one register. For each position every chunk of the filter is visited in
// stream order (spec §5). A chunk is one vector, or two consecutive vectors when the layer's
// vectors have at most 32 weights (cfg_paired_i, from qsa_seq): the PEs pack the nonzero codes
// of both into their lanes (qsa_pe), so a short vector does not round up to a whole cycle.
//
//   fetch     the chunk's activations (at most 64, contiguous in stream order) are gathered
//             into a 64-byte window slot. A chunk is made of segments, one per kernel row r
//             it touches: a contiguous byte range of that input row (HWC), clipped against
//             the input (padding reads as 0). Each cycle one line of LineWords words is read
//             from the banked activation buffer (qsa_act_buf) and up to SegsPerCycle segments
//             whose bytes all lie in that line are merged into the slot (a filter-wise chunk
//             over a few short rows usually fits one line). Segments in the padding need no
//             read. The PEs' code/α rows of the chunk are prefetched into the same slot
//             index. The walk goes from chunk to chunk and position to position with no idle
//             cycle.
//   skip      a chunk in which no PE of the group has a nonzero code (cycle table = 0) is
//             not fetched and takes no compute cycle (only its segment walk, SegsPerCycle
//             segments per cycle, overlapped with compute). The position's last chunk is
//             never skipped: if it is empty it is issued as a null chunk (one cycle, no
//             codes) that carries the end of position.
//   compute   a chunk occupies the array for tbl[c] = max over the group's PEs of
//             ceil(nnz / Lanes) cycles (zero codes cost nothing), then the next one starts
//             back to back. Two window slots let the fetch of the next chunk overlap the
//             compute of the current one: a slot is refilled from the last compute cycle of
//             its chunk on, and a chunk whose fetch completes in the cycle it is needed
//             starts at once (bypass), so one fetch cycle per chunk keeps the array busy.
//   output    4 cycles after a position's last group cycle, the PEs' int8 results (pooled
//             when pooling, at the window's last position) are written to the output buffer
//             half job_half_i at their HWC byte address relative to the band.
//
// job_done_o pulses once every output of the job is written. clear_i abandons a job.
module qsa_compute #(
  parameter int Pes = 8,
  parameter int Lanes = 8,
  parameter int VecRows = 256,
  parameter int ActHalfBytes = 32768,
  parameter int OutHalfBytes = 8192,
  parameter int LineWords = 16,      // words of one activation-buffer read (qsa_act_buf)
  parameter int SegsPerCycle = 4,    // kernel-row segments merged per cycle, at most
  localparam int MaxVec = 64,
  localparam int CodeW = qsa_pkg::CodeWidth,
  localparam int LenWidth = $clog2(MaxVec + 1),
  localparam int RowWidth = $clog2(VecRows),
  localparam int ARowWidth = $clog2(VecRows / 8),
  localparam int VpfWidth = $clog2(VecRows + 1),
  localparam int CycWidth = $clog2(MaxVec + 1),
  localparam int ActWAddrWidth = $clog2(ActHalfBytes / 8),
  localparam int OutAddrWidth = $clog2(OutHalfBytes),
  localparam int LineBytes = LineWords * 8,
  localparam int ShWidth = $clog2(LineBytes + MaxVec),
  localparam int LaneSumWidth = $clog2(Pes * Lanes + 1),
  localparam int PeCntWidth = $clog2(Pes + 1),
  localparam int MultSumWidth = $clog2(2 * Pes + 1),
  localparam int PpSumWidth = $clog2(2 * Pes * qsa_pkg::MaxK + 1),
  localparam int SlotsWidth = 14 + PeCntWidth
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic                        clear_i,

  // layer configuration, stable while a job runs (from qsa_desc_check via qsa_seq)
  input  logic                        cfg_chanwise_i,
  input  logic [LenWidth-1:0]         cfg_vec_len_i,
  input  logic                        cfg_paired_i,     // chunks of two vectors
  input  logic [VpfWidth-1:0]         cfg_vpc_i,        // chunks per filter
  input  logic [qsa_pkg::KWidth-1:0]  cfg_k_i,
  input  logic [4:0]                  cfg_shift_i,
  input  logic                        cfg_relu_i,
  input  logic                        cfg_pool_i,
  input  logic [3:0]                  cfg_kw_i,
  input  logic [3:0]                  cfg_stride_i,
  input  logic [3:0]                  cfg_pad_t_i,
  input  logic [3:0]                  cfg_pad_l_i,
  input  logic [12:0]                 cfg_in_h_i,
  input  logic [12:0]                 cfg_in_c_i,
  input  logic [13:0]                 cfg_fan_in_i,
  input  logic [12:0]                 cfg_comp_w_i,
  input  logic [12:0]                 cfg_out_c_i,
  input  logic [31:0]                 cfg_row_bytes_i,
  input  logic [31:0]                 cfg_out_row_bytes_i,

  // job
  input  logic                        job_start_i,
  input  logic [12:0]                 job_y0_i,
  input  logic [12:0]                 job_y1_i,
  input  logic [12:0]                 job_row_lo_i,     // first input row in the buffer half
  input  logic [2:0]                  job_in_mis_i,     // byte offset of that row in the half
  input  logic [2:0]                  job_out_mis_i,    // byte offset of the band's output
  input  logic                        job_half_i,
  input  logic [12:0]                 job_ch0_i,
  input  logic [Pes-1:0]              job_active_i,
  input  logic                        job_wsel_i,       // weight half of the group
  input  logic [ActWAddrWidth:0]      job_avail_i,      // words of the input half written
  output logic                        job_done_o,
  output logic                        job_row_o,        // an output row of the job is written

  // cycle table: max over the group's PEs of ceil(nnz / Lanes) per chunk (row = chunk)
  input  logic                        tbl_we_i,
  input  logic                        tbl_first_i,      // first PE of the group: overwrite
  input  logic [RowWidth-1:0]         tbl_row_i,
  input  logic [CycWidth-1:0]         tbl_cyc_i,

  // PE store load port (one-hot write enables)
  input  logic [Pes-1:0]              ld_code_we_i,
  input  logic [Pes-1:0]              ld_alpha_we_i,
  input  logic [Pes-1:0]              ld_bias_we_i,
  input  logic [RowWidth-1:0]         ld_row_i,         // code row
  input  logic                        ld_half_i,        // weight half (bias)
  input  logic [MaxVec*CodeW-1:0]     ld_codes_i,
  input  logic [Pes*ARowWidth-1:0]    ld_arow_i,        // per PE: α row, byte enables, data
  input  logic [Pes*8-1:0]            ld_abe_i,
  input  logic [Pes*64-1:0]           ld_adata_i,
  input  logic [Pes*32-1:0]           ld_bias_i,        // per PE

  // activation buffer read port: one line of LineWords words
  output logic                        ab_re_o,
  output logic                        ab_half_o,
  output logic [ActWAddrWidth-1:0]    ab_raddr_o,
  input  logic [LineWords*64-1:0]     ab_rdata_i,

  // output buffer write port
  output logic                        ob_we_o,
  output logic                        ob_half_o,
  output logic [OutAddrWidth-1:0]     ob_waddr_o,
  output logic [Pes*8-1:0]            ob_wbyte_o,
  output logic [Pes-1:0]              ob_wen_o,

  // events for the performance counters (per cycle)
  output logic                        ev_group_o,       // the array computes this cycle
  output logic [SlotsWidth-1:0]       ev_slots_o,       // MAC slots of a position started
  output logic [LaneSumWidth-1:0]     ev_lanes_o,       // nonzero-code MACs
  output logic [LaneSumWidth-1:0]     ev_gated_o,       // ... with a zero activation
  output logic [MultSumWidth-1:0]     ev_mult_o,
  output logic [PpSumWidth-1:0]       ev_pp_o
);

  localparam int Segs = SegsPerCycle;

  // Byte mask of window bytes [lo, hi) (lo <= hi <= MaxVec), each byte's 8 bits set.
  function automatic logic [MaxVec*8-1:0] byte_range(input logic [LenWidth-1:0] lo,
                                                     input logic [LenWidth-1:0] hi);
    logic [MaxVec:0] below_hi, below_lo;
    below_hi = ({{MaxVec{1'b0}}, 1'b1} << hi) - 1'b1;
    below_lo = ({{MaxVec{1'b0}}, 1'b1} << lo) - 1'b1;
    for (int j = 0; j < MaxVec; j++) begin
      byte_range[j*8 +: 8] = {8{below_hi[j] & ~below_lo[j]}};
    end
  endfunction

  // ---------------------------------------------------------------------------------------
  // Cycle table
  // ---------------------------------------------------------------------------------------
  logic [CycWidth-1:0] tbl_q [VecRows];

  always_ff @(posedge clk_i) begin
    if (tbl_we_i) begin
      if (tbl_first_i || tbl_cyc_i > tbl_q[tbl_row_i]) begin
        tbl_q[tbl_row_i] <= tbl_cyc_i;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Job geometry, registered at job start
  // ---------------------------------------------------------------------------------------
  logic signed [31:0] st_c_d, st_c_q;        // stride · C: input bytes per output column
  logic signed [31:0] st_rb_d, st_rb_q;      // stride · rb: input bytes per output row
  logic [15:0]        sc_d, sc_q;            // S · C: bytes of one kernel row of a filter
  logic [31:0]        ob_d, ob_q;
  logic [12:0]        pos_w_d, pos_w_q;      // positions per row: comp_w, or comp_w/2
  logic [12:0]        pos_h_end_d, pos_h_end_q;

  logic signed [31:0] y0_st;                 // y0 · stride − pad_top
  assign y0_st = 32'(job_y0_i) * 32'(cfg_stride_i) - 32'(cfg_pad_t_i);

  assign st_c_d      = job_start_i ? 32'(cfg_stride_i) * 32'(cfg_in_c_i) : st_c_q;
  assign st_rb_d     = job_start_i ? 32'(cfg_stride_i) * $signed(cfg_row_bytes_i) : st_rb_q;
  assign sc_d        = job_start_i ? 16'(cfg_kw_i) * 16'(cfg_in_c_i) : sc_q;
  // k · S · C for k = 0 .. Segs-1, set with sc: the segment walk's closed form (p_segs)
  localparam int RowsW = 16 + $clog2(Segs + 1);
  logic [Segs*RowsW-1:0] scm_d, scm_q;
  for (genvar k = 0; k < Segs; k++) begin : g_scm
    assign scm_d[k*RowsW +: RowsW] = job_start_i ? RowsW'(k) * RowsW'(sc_d)
                                                 : scm_q[k*RowsW +: RowsW];
  end
  assign ob_d        = job_start_i ? cfg_out_row_bytes_i : ob_q;
  assign pos_w_d     = job_start_i ? (cfg_pool_i ? (cfg_comp_w_i >> 1) : cfg_comp_w_i) : pos_w_q;
  assign pos_h_end_d = job_start_i ? (cfg_pool_i ? (job_y1_i >> 1) : job_y1_i) : pos_h_end_q;

  // ---------------------------------------------------------------------------------------
  // Fetch side: positions, vectors, segments
  // ---------------------------------------------------------------------------------------
  localparam logic [1:0] FIdle = 2'd0;
  localparam logic [1:0] FRun  = 2'd1;  // walk the vectors of the job's positions
  localparam logic [1:0] FDone = 2'd2;  // every position fetched

  logic [1:0]          fst_d, fst_q;
  // position
  logic [12:0]         py_d, py_q, px_d, px_q;
  logic                dy_d, dy_q, dx_d, dx_q;
  logic signed [31:0]  rowb_py_d, rowb_py_q;   // buffer byte of (row y(py, dy=0), q = 0)
  logic signed [31:0]  colb_px_d, colb_px_q;   // q of (x(px, dx=0), s = 0, c = 0)
  logic signed [15:0]  iy_py_d, iy_py_q;       // input row of kernel row 0 at dy = 0
  logic [31:0]         orow_d, orow_q;         // output byte of (py', px = 0) in the half
  logic [31:0]         ocol_d, ocol_q;         // px' · K
  // vector within the position
  logic [VpfWidth-1:0] v_d, v_q;
  logic [13:0]         t_d, t_q;               // stream index of the vector's first weight
  logic [12:0]         cpos_d, cpos_q;         // channel of the vector's first weight
  logic                vfirst_d, vfirst_q;     // the vector's walk has not begun
  logic [3:0]          r_d, r_q;               // kernel row of the next segment
  logic [15:0]         off_d, off_q;           // byte offset of the next segment in its row
  logic [LenWidth-1:0] left_d, left_q;         // weights of the vector not yet walked
  logic [LenWidth-1:0] dst_d, dst_q;           // window byte of the next segment
  logic                skip_d, skip_q;         // walking a skipped vector (no reads)
  logic                fslot_d, fslot_q;       // slot being filled

  // derived position values
  logic signed [31:0]  rowb_pos, colb_pos;
  logic signed [15:0]  iy_pos;
  logic [OutAddrWidth-1:0] oaddr_pos;   // output byte of this position's first filter
  logic                pos_first, pos_emit;
  logic                pos_rowend;      // the last emit of an output row
  assign rowb_pos  = rowb_py_q + (dy_q ? st_rb_q : 32'sd0);
  assign colb_pos  = colb_px_q + (dx_q ? st_c_q : 32'sd0);
  assign iy_pos    = iy_py_q + (dy_q ? 16'(cfg_stride_i) : 16'sd0);
  assign oaddr_pos = OutAddrWidth'(orow_q + ocol_q + 32'(job_ch0_i) + 32'(job_out_mis_i));
  assign pos_first = !cfg_pool_i || (!dy_q && !dx_q);
  assign pos_emit  = !cfg_pool_i || (dy_q && dx_q);
  assign pos_rowend = (px_q + 13'd1 == pos_w_q);

  // Rows of the job's weight half: chunk c at wbase + c in the cycle table and the code rows,
  // vector v's α at byte wbase + v of the α rows.
  logic [RowWidth-1:0] wbase;
  assign wbase = job_wsel_i ? RowWidth'(VecRows / 2) : RowWidth'(0);

  // The current chunk: its first vector (len0 weights) and, when paired, the next one (len1,
  // 0 if none). {len1, len0} of the chunk that starts at stream index t, channel cpos:
  function automatic logic [2*LenWidth-1:0] chunk_lens(input logic [13:0]         t,
                                                       input logic [12:0]         cpos,
                                                       input logic                chanwise,
                                                       input logic                paired,
                                                       input logic [LenWidth-1:0] n,
                                                       input logic [12:0]         in_c,
                                                       input logic [13:0]         fan_in);
    logic [LenWidth-1:0] l0, l1;
    logic [13:0]         t1;
    logic [12:0]         c1;
    l0 = qsa_pkg::vector_length(chanwise, n, in_c - cpos, fan_in - t);
    t1 = t + 14'(l0);
    c1 = (cpos + 13'(l0) == in_c) ? '0 : cpos + 13'(l0);
    l1 = (paired && t1 < fan_in) ? qsa_pkg::vector_length(chanwise, n, in_c - c1, fan_in - t1)
                                 : '0;
    chunk_lens = {l1, l0};
  endfunction

  // The lengths depend only on where the chunk starts (t_q, cpos_q), which moves once per
  // chunk, so they are held in registers (len0_q, len1_q), loaded with the first chunk's at a
  // position's start and with the next chunk's when a chunk's walk ends: the segment walk
  // (p_segs) then starts from flip-flops rather than from two chained vector_length's.
  logic [LenWidth-1:0]   len0, len1, vlen, len0_d, len0_q, len1_d, len1_q;
  logic [12:0]           cpos1, cpos2;
  logic [2*LenWidth-1:0] lens_first, lens_next;   // {len1, len0} at (0, 0) and after this chunk
  logic                  vlast;
  logic [CycWidth-1:0]   vcyc;
  assign len0       = len0_q;
  assign len1       = len1_q;
  assign cpos1      = (cpos_q + 13'(len0) == cfg_in_c_i) ? '0 : cpos_q + 13'(len0);
  assign cpos2      = (len1 != '0 && cpos1 + 13'(len1) == cfg_in_c_i) ? '0 : cpos1 + 13'(len1);
  assign vlen       = len0 + len1;
  assign lens_first = chunk_lens('0, '0, cfg_chanwise_i, cfg_paired_i, cfg_vec_len_i, cfg_in_c_i,
                                 cfg_fan_in_i);
  assign lens_next  = chunk_lens(t_q + 14'(vlen), cpos2, cfg_chanwise_i, cfg_paired_i,
                                 cfg_vec_len_i, cfg_in_c_i, cfg_fan_in_i);
  assign vlast = (v_q == cfg_vpc_i - VpfWidth'(1));
  assign vcyc  = tbl_q[wbase + RowWidth'(v_q)];

  logic [LenWidth-1:0] cur_left, cur_dst;
  logic                cur_skip, is_null;
  assign cur_left = vfirst_q ? vlen : left_q;
  assign cur_dst  = vfirst_q ? '0 : dst_q;
  assign cur_skip = vfirst_q ? (vcyc == '0 && !vlast) : skip_q;
  assign is_null  = vfirst_q && (vcyc == '0) && vlast;

  // slots
  logic [1:0]          slot_ready_d, slot_ready_q;   // fetched, not started
  logic [1:0]          slot_busy_d, slot_busy_q;     // computing
  logic                cur_slot_q;                   // slot of the vector computing
  logic                grp_last;
  logic                slot_free, go;
  // A slot may be refilled from its vector's last compute cycle on: the merge writes it a
  // cycle after the fetch, when the lanes no longer read it.
  assign slot_free = !slot_ready_q[fslot_q]
                     && (!slot_busy_q[fslot_q] || (grp_last && cur_slot_q == fslot_q));
  assign go        = (fst_q == FRun) && (cur_skip || slot_free);

  // The segments of this cycle, k = 0 .. Segs-1 from the next one of the vector (flat buses,
  // segment k at [k*W +: W]). Pass 1 walks the geometry and finds the line: the word of the
  // first byte any of them reads. Pass 2 takes the segments in order while their bytes lie in
  // that line (segments in the padding always do).
  logic [Segs-1:0]          sg_rd;        // segment k is taken and reads the line
  logic [Segs*LenWidth-1:0] sg_plo, sg_phi;   // its read bytes land at window [plo, phi)
  logic [Segs*ShWidth-1:0]  sg_sh;        // window byte j takes line byte j + sh - MaxVec
  logic                     vdone;        // the vector's last segment is taken
  logic [3:0]               walk_r;       // walk state after the segments taken
  logic [15:0]              walk_off;
  logic [LenWidth-1:0]      walk_left, walk_dst;
  logic signed [31:0]       line_byte;    // first byte of the line (a word boundary)
  logic signed [31:0]       avail_bytes;  // bytes of the input half written so far
  assign avail_bytes = $signed(32'({job_avail_i, 3'b000}));

  always_comb begin : p_segs
    logic [Segs*LenWidth-1:0] k_n, k_dst, k_qa, k_qb;   // length, window byte, clip offsets
    logic [Segs*16-1:0]       k_st;                     // first byte in the kernel row
    logic [Segs-1:0]          k_ex, k_vld;
    logic [Segs*32-1:0]       k_alo, k_ahi;             // buffer bytes read [alo, ahi)
    logic [LenWidth-1:0]      lft, dst, n;
    logic [(Segs+1)*LenWidth-1:0] k_lft;                // weights left before segment k
    logic [RowsW-1:0]         rows;
    logic [15:0]              st, st_end;
    logic signed [31:0]       rowb, q0, q1, qa, qb;
    logic signed [15:0]       iyk;
    logic                     found, take;

    // Defaults: also the result in a cycle without go (nothing taken, the walk stays). The
    // passes run only with go, so a simulator skips them in every other cycle; their results
    // are used only then (ab_raddr_o goes with ab_re_o).
    k_n = '0; k_dst = '0; k_qa = '0; k_qb = '0; k_st = '0; k_ex = '0; k_vld = '0;
    k_alo = '0; k_ahi = '0; k_lft = '0;
    lft = '0; dst = '0; n = '0; rows = '0; st = '0; st_end = '0;
    rowb = '0; q0 = '0; q1 = '0; qa = '0; qb = '0; iyk = '0;
    found     = 1'b0;
    take      = 1'b0;
    line_byte = '0;
    sg_rd     = '0;
    sg_plo    = '0;
    sg_phi    = '0;
    sg_sh     = '0;
    vdone     = 1'b0;
    walk_r    = r_q;
    walk_off  = off_q;
    walk_left = cur_left;
    walk_dst  = cur_dst;
    if (go) begin
      // pass 1: geometry
      // The weights left before segment k: cur_left less the kernel-row bytes of segments
      // 0 .. k-1 (segment 0 holds sc - off of them, every later one sc), floored at 0. In closed
      // form, so every segment's length comes from one subtraction, not a chain through the
      // segments before it: n_k = lft_k - lft_(k+1), and the window byte is dst + cur_left - lft_k.
      k_lft[0 +: LenWidth] = cur_left;
      for (int k = 1; k <= Segs; k++) begin
        rows = RowsW'(16'(sc_q - off_q)) + scm_q[(k-1)*RowsW +: RowsW];
        k_lft[k*LenWidth +: LenWidth] = (RowsW'(cur_left) > rows)
                                        ? LenWidth'(RowsW'(cur_left) - rows) : '0;
      end
      rowb      = rowb_pos + 32'(r_q) * $signed(cfg_row_bytes_i);
      iyk       = iy_pos + 16'(r_q);
      for (int k = 0; k < Segs; k++) begin
        st   = (k == 0) ? off_q : 16'd0;
        lft  = k_lft[k*LenWidth +: LenWidth];
        n    = lft - k_lft[(k+1)*LenWidth +: LenWidth];
        dst  = cur_dst + (cur_left - lft);
        q0   = colb_pos + 32'(st);
        q1   = q0 + 32'(n);
        qa   = (q0 < 0) ? 32'sd0 : q0;
        qb   = (q1 > $signed(cfg_row_bytes_i)) ? $signed(cfg_row_bytes_i) : q1;
        k_n[k*LenWidth +: LenWidth]   = n;
        k_dst[k*LenWidth +: LenWidth] = dst;
        k_qa[k*LenWidth +: LenWidth]  = LenWidth'(qa - q0);
        k_qb[k*LenWidth +: LenWidth]  = LenWidth'(qb - q0);
        k_st[k*16 +: 16]              = st;
        k_ex[k]  = (lft != '0);
        k_vld[k] = !cur_skip && (lft != '0) && (iyk >= 0) && (iyk < $signed(16'(cfg_in_h_i)))
                   && (qa < qb);
        k_alo[k*32 +: 32] = rowb + qa;
        k_ahi[k*32 +: 32] = rowb + qb;
        if (k_vld[k] && !found) begin
          found     = 1'b1;
          line_byte = $signed({k_alo[k*32+3 +: 29], 3'b000});
        end
        rowb = rowb + $signed(cfg_row_bytes_i);
        iyk  = iyk + 16'sd1;
      end

      // pass 2: take
      take = !is_null;
      for (int k = 0; k < Segs; k++) begin
        n    = k_n[k*LenWidth +: LenWidth];
        dst  = k_dst[k*LenWidth +: LenWidth];
        st   = k_st[k*16 +: 16];
        take = take && k_ex[k]
               && (!k_vld[k] || (($signed(k_ahi[k*32 +: 32]) <= line_byte + LineBytes)
                                 && ($signed(k_ahi[k*32 +: 32]) <= avail_bytes)));
        if (take) begin
          st_end    = st + 16'(n);
          sg_rd[k]  = k_vld[k];
          sg_plo[k*LenWidth +: LenWidth] = dst + k_qa[k*LenWidth +: LenWidth];
          sg_phi[k*LenWidth +: LenWidth] = dst + k_qb[k*LenWidth +: LenWidth];
          sg_sh[k*ShWidth +: ShWidth] =
              ShWidth'($signed(k_alo[k*32 +: 32]) - line_byte
                       - 32'(sg_plo[k*LenWidth +: LenWidth]) + 32'(MaxVec));
          walk_r    = (st_end == sc_q) ? r_q + 4'(k + 1) : r_q + 4'(k);
          walk_off  = (st_end == sc_q) ? 16'd0 : st_end;
          walk_left = k_lft[(k+1)*LenWidth +: LenWidth];
          walk_dst  = dst + n;
          if (walk_left == '0) vdone = 1'b1;
        end
      end
    end
  end

  // meta of a vector, written to its slot when complete
  // {len, split, cyc, rowend, pos_last, first, emit, oaddr}
  localparam int MetaWidth = 2 * LenWidth + CycWidth + 4 + OutAddrWidth;
  logic [MetaWidth-1:0] pos_meta;
  logic [MetaWidth-1:0] null_meta;                   // the same position, as a null chunk
  assign pos_meta  = {vlen, len0, vcyc, pos_rowend, vlast, pos_first, pos_emit, oaddr_pos};
  assign null_meta = {LenWidth'(0), LenWidth'(0), CycWidth'(1), pos_rowend, vlast, pos_first,
                      pos_emit, oaddr_pos};

  // fetch pipeline register (F1: merge into the window slot)
  logic                    m_valid_d, m_valid_q;
  logic                    m_slot_d, m_slot_q;
  logic [LenWidth-1:0]     m_dlo_d, m_dlo_q;          // window bytes [dlo, dhi) written
  logic [LenWidth-1:0]     m_dhi_d, m_dhi_q;
  logic [Segs-1:0]         m_rd_d, m_rd_q;
  logic [Segs*LenWidth-1:0] m_plo_d, m_plo_q, m_phi_d, m_phi_q;
  logic [Segs*ShWidth-1:0] m_sh_d, m_sh_q;
  logic                    m_end_d, m_end_q;          // the vector is complete after this
  logic [MetaWidth-1:0]    m_meta_d, m_meta_q;

  logic                 pos_advance;                 // move to the next position
  logic                 job_fetch_done;

  // PE prefetch
  logic                 pe_rd;
  logic [RowWidth-1:0]  pe_rd_row;                   // the chunk's code row
  logic [RowWidth-1:0]  pe_rd_vec;                   // its first vector (α byte)
  assign pe_rd_row = wbase + RowWidth'(v_q);
  assign pe_rd_vec = wbase + (cfg_paired_i ? RowWidth'({v_q, 1'b0}) : RowWidth'(v_q));

  always_comb begin
    fst_d      = fst_q;
    py_d       = py_q;
    px_d       = px_q;
    dy_d       = dy_q;
    dx_d       = dx_q;
    rowb_py_d  = rowb_py_q;
    colb_px_d  = colb_px_q;
    iy_py_d    = iy_py_q;
    orow_d     = orow_q;
    ocol_d     = ocol_q;
    v_d        = v_q;
    t_d        = t_q;
    cpos_d     = cpos_q;
    {len1_d, len0_d} = {len1_q, len0_q};
    vfirst_d   = vfirst_q;
    r_d        = r_q;
    off_d      = off_q;
    left_d     = left_q;
    dst_d      = dst_q;
    skip_d     = skip_q;
    fslot_d    = fslot_q;
    m_valid_d  = 1'b0;
    m_slot_d   = fslot_q;
    m_dlo_d    = cur_dst;
    m_dhi_d    = walk_dst;
    m_rd_d     = sg_rd;
    m_plo_d    = sg_plo;
    m_phi_d    = sg_phi;
    m_sh_d     = sg_sh;
    m_end_d    = vdone;
    m_meta_d   = pos_meta;
    pe_rd      = 1'b0;
    ab_re_o    = 1'b0;
    ab_half_o  = job_half_i;
    ab_raddr_o = ActWAddrWidth'(line_byte >>> 3);
    pos_advance = 1'b0;

    case (fst_q)
      FIdle, FDone: begin
        if (job_start_i) begin
          fst_d     = FRun;
          py_d      = cfg_pool_i ? (job_y0_i >> 1) : job_y0_i;
          px_d      = '0;
          dy_d      = 1'b0;
          dx_d      = 1'b0;
          // row y0, kernel row 0, relative to the first buffered row
          rowb_py_d = (y0_st - 32'(job_row_lo_i)) * $signed(cfg_row_bytes_i)
                      + 32'(job_in_mis_i);
          colb_px_d = -(32'(cfg_pad_l_i) * 32'(cfg_in_c_i));
          iy_py_d   = 16'(y0_st);
          orow_d    = '0;
          ocol_d    = '0;
          v_d       = '0;
          t_d       = '0;
          cpos_d    = '0;
          {len1_d, len0_d} = lens_first;
          vfirst_d  = 1'b1;
          r_d       = '0;
          off_d     = '0;
        end
      end
      FRun: begin
        if (go && is_null) begin
          // null vector: the position's end, nothing to compute
          pe_rd       = 1'b1;
          m_valid_d   = 1'b1;
          m_dlo_d     = '0;
          m_dhi_d     = '0;
          m_rd_d      = '0;
          m_end_d     = 1'b1;
          m_meta_d    = null_meta;
          pos_advance = 1'b1;
        end else if (go) begin
          pe_rd     = vfirst_q && !cur_skip;
          m_valid_d = !cur_skip;
          ab_re_o   = |sg_rd;
          vfirst_d  = 1'b0;
          skip_d    = cur_skip;
          r_d       = walk_r;
          off_d     = walk_off;
          left_d    = walk_left;
          dst_d     = walk_dst;
          if (vdone) begin
            // next vector of the position
            t_d      = t_q + 14'(vlen);
            cpos_d   = cpos2;
            {len1_d, len0_d} = lens_next;
            v_d      = v_q + VpfWidth'(1);
            vfirst_d = 1'b1;
            if (vlast) begin
              pos_advance = 1'b1;
            end
          end
        end
      end
      default: fst_d = FIdle;
    endcase

    // the slot index advances with every vector that occupies one
    if (m_valid_d && m_end_d) begin
      fslot_d = !fslot_q;
    end

    if (pos_advance) begin
      v_d      = '0;
      t_d      = '0;
      cpos_d   = '0;
      {len1_d, len0_d} = lens_first;
      vfirst_d = 1'b1;
      r_d      = '0;
      off_d    = '0;
      if (cfg_pool_i && !dx_q) begin
        dx_d = 1'b1;
      end else if (cfg_pool_i && !dy_q) begin
        dx_d = 1'b0;
        dy_d = 1'b1;
      end else begin
        dx_d = 1'b0;
        dy_d = 1'b0;
        if (px_q + 13'd1 == pos_w_q) begin
          px_d      = '0;
          py_d      = py_q + 13'd1;
          colb_px_d = -(32'(cfg_pad_l_i) * 32'(cfg_in_c_i));
          ocol_d    = '0;
          rowb_py_d = rowb_py_q + (cfg_pool_i ? (st_rb_q <<< 1) : st_rb_q);
          iy_py_d   = iy_py_q + (cfg_pool_i ? 16'(cfg_stride_i) << 1 : 16'(cfg_stride_i));
          orow_d    = orow_q + ob_q;
          if (py_q + 13'd1 == pos_h_end_q) begin
            fst_d = FDone;
          end
        end else begin
          px_d      = px_q + 13'd1;
          colb_px_d = colb_px_q + (cfg_pool_i ? (st_c_q <<< 1) : st_c_q);
          ocol_d    = ocol_q + 32'(cfg_out_c_i);
        end
      end
    end

    if (clear_i) begin
      fst_d     = FIdle;
      m_valid_d = 1'b0;
      fslot_d   = 1'b0;
    end
  end

  assign job_fetch_done = (fst_q == FDone);

  // ---------------------------------------------------------------------------------------
  // F1: merge the segments into their window slot
  // ---------------------------------------------------------------------------------------
  logic [MaxVec*8-1:0]  win0_d, win0_q, win1_d, win1_q;
  logic [MetaWidth-1:0] meta0_d, meta0_q, meta1_d, meta1_q;
  // The line behind MaxVec zero bytes: window byte j of segment k is ext byte j + sh_k.
  logic [(LineBytes+MaxVec)*8-1:0] ext;
  assign ext = {ab_rdata_i, {(MaxVec*8){1'b0}}};

  // The segment mask and the merged bytes are formed in the merge branch only (a simulator
  // skips them in the other cycles).
  always_comb begin : p_merge
    logic [MaxVec*8-1:0] seg_mask, merged_src;
    seg_mask   = '0;
    merged_src = '0;
    win0_d     = win0_q;
    win1_d     = win1_q;
    meta0_d    = meta0_q;
    meta1_d    = meta1_q;
    if (m_valid_q) begin
      seg_mask = byte_range(m_dlo_q, m_dhi_q);
      for (int k = 0; k < Segs; k++) begin
        if (m_rd_q[k]) begin
          merged_src = merged_src
                       | (MaxVec*8)'(ext >> (32'(m_sh_q[k*ShWidth +: ShWidth]) * 8))
                       & byte_range(m_plo_q[k*LenWidth +: LenWidth],
                                    m_phi_q[k*LenWidth +: LenWidth]);
        end
      end
      if (!m_slot_q) begin
        win0_d = (win0_q & ~seg_mask) | merged_src;
        if (m_end_q) meta0_d = m_meta_q;
      end else begin
        win1_d = (win1_q & ~seg_mask) | merged_src;
        if (m_end_q) meta1_d = m_meta_q;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Issue: start vectors, present group cycles
  // ---------------------------------------------------------------------------------------
  logic                 cslot_d, cslot_q;      // next slot to start
  logic                 cur_slot_d;
  logic [CycWidth-1:0]  rem_d, rem_q;          // group cycles left of the current vector
  logic [3:0]           cur_flags_d, cur_flags_q;   // {rowend, pos_last, first, emit}
  logic [OutAddrWidth-1:0] cur_oaddr_d, cur_oaddr_q;
  logic [MetaWidth-1:0] cmeta;
  logic                 bypass;                // the next vector completes its fetch now
  logic                 start;
  logic                 grp_valid;

  assign bypass    = m_valid_q && m_end_q && (m_slot_q == cslot_q);
  assign cmeta     = slot_ready_q[cslot_q] ? (cslot_q ? meta1_q : meta0_q) : m_meta_q;
  assign start     = (slot_ready_q[cslot_q] || bypass) && (rem_q <= CycWidth'(1)) && !clear_i;
  assign grp_valid = (rem_q != '0);
  assign grp_last  = (rem_q == CycWidth'(1));

  always_comb begin
    cslot_d     = cslot_q;
    cur_slot_d  = cur_slot_q;
    rem_d       = grp_valid ? rem_q - CycWidth'(1) : rem_q;
    cur_flags_d = cur_flags_q;
    cur_oaddr_d = cur_oaddr_q;
    slot_ready_d = slot_ready_q;
    slot_busy_d  = slot_busy_q;
    if (grp_last) begin
      slot_busy_d[cur_slot_q] = 1'b0;
    end
    if (m_valid_q && m_end_q) begin
      slot_ready_d[m_slot_q] = 1'b1;
    end
    if (start) begin
      slot_ready_d[cslot_q] = 1'b0;
      slot_busy_d[cslot_q]  = 1'b1;
      cur_slot_d  = cslot_q;
      cslot_d     = !cslot_q;
      rem_d       = cmeta[MetaWidth - 2 * LenWidth - 1 -: CycWidth];
      cur_flags_d = cmeta[OutAddrWidth +: 4];
      cur_oaddr_d = cmeta[OutAddrWidth-1:0];
    end
    if (clear_i) begin
      cslot_d      = 1'b0;
      rem_d        = '0;
      slot_ready_d = '0;
      slot_busy_d  = '0;
    end
  end

  // Output delay line: a position's result leaves the PEs 4 cycles after its last group cycle.
  localparam int OutDelay = 4;
  logic [OutDelay-1:0]                 od_valid_d, od_valid_q;
  logic [OutDelay-1:0]                 od_row_d, od_row_q;     // ... and ends an output row
  logic [OutDelay*OutAddrWidth-1:0]    od_addr_d, od_addr_q;
  logic                                pos_done;   // a position's last group cycle
  assign pos_done = grp_valid && grp_last && cur_flags_q[2];

  always_comb begin
    od_valid_d = {od_valid_q[OutDelay-2:0], pos_done && cur_flags_q[0]};  // emit
    od_row_d   = {od_row_q[OutDelay-2:0], pos_done && cur_flags_q[0] && cur_flags_q[3]};
    od_addr_d  = {od_addr_q[(OutDelay-1)*OutAddrWidth-1:0], cur_oaddr_q};
    if (clear_i) begin
      od_valid_d = '0;
      od_row_d   = '0;
    end
  end

  // ---------------------------------------------------------------------------------------
  // PE array
  // ---------------------------------------------------------------------------------------
  logic [MaxVec*8-1:0]         win_cur;
  logic [Pes-1:0]              pe_out_valid;
  logic [Pes*8-1:0]            pe_out;
  logic [Pes*$clog2(Lanes+1)-1:0] pe_lanes, pe_gated;
  localparam int PePpWidth = qsa_pkg::PpCountWidth + 1;
  logic [Pes*2-1:0]            pe_mult;
  logic [Pes*PePpWidth-1:0]    pe_pp;

  assign win_cur = cur_slot_q ? win1_q : win0_q;

  for (genvar p = 0; p < Pes; p++) begin : g_pe
    qsa_pe #(.Lanes(Lanes), .VecRows(VecRows)) u_pe (
      .clk_i,
      .rst_ni,
      .clear_i,
      .ld_code_we_i (ld_code_we_i[p]),
      .ld_alpha_we_i(ld_alpha_we_i[p]),
      .ld_row_i,
      .ld_arow_i    (ld_arow_i[p*ARowWidth +: ARowWidth]),
      .ld_abe_i     (ld_abe_i[p*8 +: 8]),
      .ld_adata_i   (ld_adata_i[p*64 +: 64]),
      .ld_codes_i,
      .ld_bias_we_i (ld_bias_we_i[p]),
      .ld_half_i,
      .ld_bias_i    (ld_bias_i[p*32 +: 32]),
      .rd_i         (pe_rd),
      .rd_row_i     (pe_rd_row),
      .rd_arow_i    (pe_rd_vec[RowWidth-1:3]),
      .rd_abyte_i   (pe_rd_vec[2:0]),
      .rd_slot_i    (fslot_q),
      .active_i     (job_active_i[p]),
      .init_i       (job_start_i),
      .wsel_i       (job_wsel_i),
      .start_i      (start),
      .start_slot_i (cslot_q),
      .len_i        (cmeta[MetaWidth-1 -: LenWidth]),
      .split_i      (cmeta[MetaWidth-LenWidth-1 -: LenWidth]),
      .grp_valid_i  (grp_valid),
      .grp_last_i   (grp_last),
      .pos_last_i   (grp_last && cur_flags_q[2]),
      .pool_first_i (cur_flags_q[1]),
      .pool_emit_i  (cur_flags_q[0]),
      .win_i        (win_cur),
      .k_i          (cfg_k_i),
      .shift_i      (cfg_shift_i),
      .relu_i       (cfg_relu_i),
      .pool_i       (cfg_pool_i),
      .out_valid_o  (pe_out_valid[p]),
      .out_o        (pe_out[p*8 +: 8]),
      .ev_lanes_o   (pe_lanes[p*$clog2(Lanes+1) +: $clog2(Lanes+1)]),
      .ev_gated_o   (pe_gated[p*$clog2(Lanes+1) +: $clog2(Lanes+1)]),
      .ev_mult_o    (pe_mult[p*2 +: 2]),
      .ev_pp_o      (pe_pp[p*PePpWidth +: PePpWidth])
    );
  end

  // The PEs' outputs carry no address and their valid is not needed: the delay line above
  // carries both (every PE runs the same fixed-latency pipeline).
  logic unused_out_valid;
  assign unused_out_valid = ^pe_out_valid[Pes-1:0];

  assign ob_we_o    = od_valid_q[OutDelay-1];
  assign job_row_o  = od_row_q[OutDelay-1];
  assign ob_half_o  = job_half_i;
  assign ob_waddr_o = od_addr_q[(OutDelay-1)*OutAddrWidth +: OutAddrWidth];
  assign ob_wbyte_o = pe_out;
  assign ob_wen_o   = job_active_i;

  // ---------------------------------------------------------------------------------------
  // Job completion and events
  // ---------------------------------------------------------------------------------------
  logic busy_d, busy_q;
  logic done;
  assign done   = busy_q && job_fetch_done && (slot_ready_q == '0) && (slot_busy_q == '0)
                  && !m_valid_q && (rem_q == '0) && (od_valid_q == '0);
  assign busy_d = clear_i ? 1'b0 : (job_start_i ? 1'b1 : (done ? 1'b0 : busy_q));
  assign job_done_o = done;

  // The sums accumulate in variables of their blocks and each output is written once, at the
  // end: an output changing several times per run makes Icarus 11 (Debian 12) loop through its
  // bug #508 (fixed in 12.0), which wakes every always_comb linked before a woken one.
  logic [PeCntWidth-1:0] active_cnt;
  always_comb begin : p_active_cnt
    logic [PeCntWidth-1:0] cnt;
    cnt = '0;
    for (int p = 0; p < Pes; p++) cnt = cnt + PeCntWidth'(job_active_i[p]);
    active_cnt = cnt;
  end

  always_comb begin : p_events
    logic [LaneSumWidth-1:0] lanes, gated;
    logic [MultSumWidth-1:0] mult;
    logic [PpSumWidth-1:0]   pp;
    lanes = '0;
    gated = '0;
    mult  = '0;
    pp    = '0;
    for (int p = 0; p < Pes; p++) begin
      lanes = lanes + LaneSumWidth'(pe_lanes[p*$clog2(Lanes+1) +: $clog2(Lanes+1)]);
      gated = gated + LaneSumWidth'(pe_gated[p*$clog2(Lanes+1) +: $clog2(Lanes+1)]);
      mult  = mult + MultSumWidth'(pe_mult[p*2]) + MultSumWidth'(pe_mult[p*2+1]);
      pp    = pp + PpSumWidth'(pe_pp[p*PePpWidth +: PePpWidth]);
    end
    ev_lanes_o = lanes;
    ev_gated_o = gated;
    ev_mult_o  = mult;
    ev_pp_o    = pp;
  end
  assign ev_group_o = grp_valid;
  // One position's MAC slots (fan-in × active filters), counted when its last vector ends.
  assign ev_slots_o = pos_done ? SlotsWidth'(cfg_fan_in_i) * SlotsWidth'(active_cnt) : '0;

  // ---------------------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_c_q       <= '0;
      st_rb_q      <= '0;
      sc_q         <= '0;
      scm_q        <= '0;
      ob_q         <= '0;
      pos_w_q      <= '0;
      pos_h_end_q  <= '0;
      fst_q        <= FIdle;
      py_q         <= '0;
      px_q         <= '0;
      dy_q         <= 1'b0;
      dx_q         <= 1'b0;
      rowb_py_q    <= '0;
      colb_px_q    <= '0;
      iy_py_q      <= '0;
      orow_q       <= '0;
      ocol_q       <= '0;
      v_q          <= '0;
      t_q          <= '0;
      cpos_q       <= '0;
      len0_q       <= '0;
      len1_q       <= '0;
      vfirst_q     <= 1'b1;
      r_q          <= '0;
      off_q        <= '0;
      left_q       <= '0;
      dst_q        <= '0;
      skip_q       <= 1'b0;
      fslot_q      <= 1'b0;
      m_valid_q    <= 1'b0;
      m_slot_q     <= 1'b0;
      m_dlo_q      <= '0;
      m_dhi_q      <= '0;
      m_rd_q       <= '0;
      m_plo_q      <= '0;
      m_phi_q      <= '0;
      m_sh_q       <= '0;
      m_end_q      <= 1'b0;
      m_meta_q     <= '0;
      win0_q       <= '0;
      win1_q       <= '0;
      meta0_q      <= '0;
      meta1_q      <= '0;
      slot_ready_q <= '0;
      slot_busy_q  <= '0;
      cslot_q      <= 1'b0;
      cur_slot_q   <= 1'b0;
      rem_q        <= '0;
      cur_flags_q  <= '0;
      cur_oaddr_q  <= '0;
      od_valid_q   <= '0;
      od_row_q     <= '0;
      od_addr_q    <= '0;
      busy_q       <= 1'b0;
    end else begin
      st_c_q       <= st_c_d;
      st_rb_q      <= st_rb_d;
      sc_q         <= sc_d;
      scm_q        <= scm_d;
      ob_q         <= ob_d;
      pos_w_q      <= pos_w_d;
      pos_h_end_q  <= pos_h_end_d;
      fst_q        <= fst_d;
      py_q         <= py_d;
      px_q         <= px_d;
      dy_q         <= dy_d;
      dx_q         <= dx_d;
      rowb_py_q    <= rowb_py_d;
      colb_px_q    <= colb_px_d;
      iy_py_q      <= iy_py_d;
      orow_q       <= orow_d;
      ocol_q       <= ocol_d;
      v_q          <= v_d;
      t_q          <= t_d;
      cpos_q       <= cpos_d;
      len0_q       <= len0_d;
      len1_q       <= len1_d;
      vfirst_q     <= vfirst_d;
      r_q          <= r_d;
      off_q        <= off_d;
      left_q       <= left_d;
      dst_q        <= dst_d;
      skip_q       <= skip_d;
      fslot_q      <= fslot_d;
      m_valid_q    <= m_valid_d;
      m_slot_q     <= m_slot_d;
      m_dlo_q      <= m_dlo_d;
      m_dhi_q      <= m_dhi_d;
      m_rd_q       <= m_rd_d;
      m_plo_q      <= m_plo_d;
      m_phi_q      <= m_phi_d;
      m_sh_q       <= m_sh_d;
      m_end_q      <= m_end_d;
      m_meta_q     <= m_meta_d;
      win0_q       <= win0_d;
      win1_q       <= win1_d;
      meta0_q      <= meta0_d;
      meta1_q      <= meta1_d;
      slot_ready_q <= slot_ready_d;
      slot_busy_q  <= slot_busy_d;
      cslot_q      <= cslot_d;
      cur_slot_q   <= cur_slot_d;
      rem_q        <= rem_d;
      cur_flags_q  <= cur_flags_d;
      cur_oaddr_q  <= cur_oaddr_d;
      od_valid_q   <= od_valid_d;
      od_row_q     <= od_row_d;
      od_addr_q    <= od_addr_d;
      busy_q       <= busy_d;
    end
  end

endmodule
