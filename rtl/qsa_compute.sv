// The PE array and its control (docs/architecture.md, "Accelerator RTL"): computes one band of
// output rows for one filter group, whose codes, α's and biases the sequencer (qsa_seq) has
// already loaded into the PEs.
//
// A job (job_start_i) covers computed rows [job_y0_i, job_y1_i) (spec §8 v2: only positions
// that survive pooling are computed) for filters [job_ch0_i, job_ch0_i + popcount(active)).
// Positions are visited row by row; when pooling, in 2x2 window order (py, px, dy, dx), so each
// PE's max-pool needs one register. For each position every vector of the filter is visited
// in stream order (spec §5):
//
//   fetch     the vector's activations are gathered into a 64-byte window slot, one segment
//             per cycle: a segment is the part of the vector in one kernel row r, a
//             contiguous byte range of that input row (HWC), read in one cycle from the
//             banked activation buffer (qsa_act_buf) and clipped against the input (padding
//             reads as 0). A channel-wise vector is one segment. The PEs' code/α rows of the
//             vector are prefetched into the same slot index.
//   skip      a vector in which no PE of the group has a nonzero code (cycle table = 0) is
//             not fetched and takes no compute cycle (only its segment walk, overlapped with
//             compute). The position's last vector is never skipped: if it is empty it is
//             issued as a null vector (one cycle, no codes) that carries the end of position.
//   compute   a vector occupies the array for tbl[v] = max over the group's PEs of
//             ceil(nnz / Lanes) cycles (zero codes cost nothing), then the next one starts
//             back to back. Two window slots let the fetch of vector v+1 overlap the compute
//             of vector v.
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
  localparam int MaxVec = 64,
  localparam int CodeW = qsa_pkg::CodeWidth,
  localparam int LenWidth = $clog2(MaxVec + 1),
  localparam int RowWidth = $clog2(VecRows),
  localparam int VpfWidth = $clog2(VecRows + 1),
  localparam int CycWidth = $clog2(MaxVec + 1),
  localparam int ActAddrWidth = $clog2(ActHalfBytes),
  localparam int OutAddrWidth = $clog2(OutHalfBytes),
  localparam int LaneSumWidth = $clog2(Pes * Lanes + 1),
  localparam int PeCntWidth = $clog2(Pes + 1),
  localparam int PpSumWidth = $clog2(Pes * qsa_pkg::MaxK + 1),
  localparam int SlotsWidth = 14 + PeCntWidth
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic                        clear_i,

  // layer configuration, stable while a job runs (from qsa_desc_check via qsa_seq)
  input  logic                        cfg_chanwise_i,
  input  logic [LenWidth-1:0]         cfg_vec_len_i,
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
  input  logic [VpfWidth-1:0]         cfg_vpf_i,
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
  output logic                        job_done_o,

  // cycle table: max over the group's PEs of ceil(nnz / Lanes) per vector
  input  logic                        tbl_we_i,
  input  logic                        tbl_first_i,      // first PE of the group: overwrite
  input  logic [RowWidth-1:0]         tbl_row_i,
  input  logic [CycWidth-1:0]         tbl_cyc_i,

  // PE store load port (one-hot write enables)
  input  logic [Pes-1:0]              ld_code_we_i,
  input  logic [Pes-1:0]              ld_alpha_we_i,
  input  logic [Pes-1:0]              ld_bias_we_i,
  input  logic [RowWidth-1:0]         ld_row_i,
  input  logic [MaxVec*CodeW-1:0]     ld_codes_i,
  input  logic [7:0]                  ld_alpha_i,
  input  logic [31:0]                 ld_bias_i,

  // activation buffer read port
  output logic                        ab_re_o,
  output logic                        ab_half_o,
  output logic [ActAddrWidth-1:0]     ab_raddr_o,
  input  logic [MaxVec*8-1:0]         ab_rdata_i,

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
  output logic [PeCntWidth-1:0]       ev_mult_o,
  output logic [PpSumWidth-1:0]       ev_pp_o
);

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
  assign ob_d        = job_start_i ? cfg_out_row_bytes_i : ob_q;
  assign pos_w_d     = job_start_i ? (cfg_pool_i ? (cfg_comp_w_i >> 1) : cfg_comp_w_i) : pos_w_q;
  assign pos_h_end_d = job_start_i ? (cfg_pool_i ? (job_y1_i >> 1) : job_y1_i) : pos_h_end_q;

  // ---------------------------------------------------------------------------------------
  // Fetch side: positions, vectors, segments
  // ---------------------------------------------------------------------------------------
  localparam logic [1:0] FIdle = 2'd0;
  localparam logic [1:0] FVec  = 2'd1;  // start a vector (or wait for a slot)
  localparam logic [1:0] FSeg  = 2'd2;  // walk its segments
  localparam logic [1:0] FDone = 2'd3;  // every position fetched

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
  assign rowb_pos  = rowb_py_q + (dy_q ? st_rb_q : 32'sd0);
  assign colb_pos  = colb_px_q + (dx_q ? st_c_q : 32'sd0);
  assign iy_pos    = iy_py_q + (dy_q ? 16'(cfg_stride_i) : 16'sd0);
  assign oaddr_pos = OutAddrWidth'(orow_q + ocol_q + 32'(job_ch0_i) + 32'(job_out_mis_i));
  assign pos_first = !cfg_pool_i || (!dy_q && !dx_q);
  assign pos_emit  = !cfg_pool_i || (dy_q && dx_q);

  // the current vector
  logic [LenWidth-1:0] vlen;
  logic                vlast;
  logic [CycWidth-1:0] vcyc;
  assign vlen = qsa_pkg::vector_length(cfg_chanwise_i, cfg_vec_len_i, cfg_in_c_i - cpos_q,
                                       cfg_fan_in_i - t_q);
  assign vlast = (v_q == cfg_vpf_i - VpfWidth'(1));
  assign vcyc  = tbl_q[RowWidth'(v_q)];

  // the current segment
  logic [15:0]         seg_room;
  logic [LenWidth-1:0] seg_n;
  logic signed [31:0]  q0, q1, qa, qb;
  logic signed [15:0]  iy;
  logic signed [31:0]  rowb_r;
  logic                seg_rd;
  logic                seg_end;                // the vector's last segment
  assign seg_room = sc_q - off_q;
  assign seg_n    = (seg_room > 16'(left_q)) ? left_q : LenWidth'(seg_room);
  assign iy       = iy_pos + 16'(r_q);
  assign rowb_r   = rowb_pos + 32'(r_q) * $signed(cfg_row_bytes_i);
  assign q0       = colb_pos + 32'(off_q);
  assign q1       = q0 + 32'(seg_n);
  assign qa       = (q0 < 0) ? 32'sd0 : q0;
  assign qb       = (q1 > $signed(cfg_row_bytes_i)) ? $signed(cfg_row_bytes_i) : q1;
  assign seg_rd   = !skip_q && (iy >= 0) && (iy < $signed(16'(cfg_in_h_i))) && (qa < qb);
  assign seg_end  = (seg_n == left_q);

  // slots
  logic [1:0]          slot_ready_d, slot_ready_q;   // fetched, not started
  logic [1:0]          slot_busy_d, slot_busy_q;     // computing
  logic                slot_free;
  assign slot_free = !slot_ready_q[fslot_q] && !slot_busy_q[fslot_q];

  // meta of the vector being fetched, written to its slot when complete
  localparam int MetaWidth = LenWidth + CycWidth + 3 + OutAddrWidth;
  logic [MetaWidth-1:0] fmeta_d, fmeta_q;
  logic [MetaWidth-1:0] pos_meta;                    // {len, cyc, pos_last, first, emit, oaddr}
  logic [MetaWidth-1:0] null_meta;                   // the same position, as a null vector

  // fetch pipeline register (F1: merge into the window slot)
  logic                 m_valid_d, m_valid_q;
  logic                 m_slot_d, m_slot_q;
  logic [LenWidth-1:0]  m_dst_d, m_dst_q;            // segment region [dst, dst + n)
  logic [LenWidth-1:0]  m_n_d, m_n_q;
  logic [LenWidth-1:0]  m_plo_d, m_plo_q;            // read bytes land at [plo, phi)
  logic [LenWidth-1:0]  m_phi_d, m_phi_q;
  logic                 m_rd_d, m_rd_q;
  logic                 m_end_d, m_end_q;            // the vector is complete after this
  logic [MetaWidth-1:0] m_meta_d, m_meta_q;

  logic                 pos_advance;                 // move to the next position
  logic                 job_fetch_done;

  // PE prefetch
  logic                 pe_rd;
  logic [RowWidth-1:0]  pe_rd_row;

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
    r_d        = r_q;
    off_d      = off_q;
    left_d     = left_q;
    dst_d      = dst_q;
    skip_d     = skip_q;
    fslot_d    = fslot_q;
    fmeta_d    = fmeta_q;
    m_valid_d  = 1'b0;
    m_slot_d   = fslot_q;
    m_dst_d    = dst_q;
    m_n_d      = seg_n;
    m_plo_d    = '0;
    m_phi_d    = '0;
    m_rd_d     = 1'b0;
    m_end_d    = 1'b0;
    m_meta_d   = fmeta_q;
    pe_rd      = 1'b0;
    pe_rd_row  = RowWidth'(v_q);
    ab_re_o    = 1'b0;
    ab_half_o  = job_half_i;
    ab_raddr_o = ActAddrWidth'(rowb_r + qa);
    pos_advance = 1'b0;
    pos_meta   = {vlen, vcyc, vlast, pos_first, pos_emit, oaddr_pos};
    null_meta  = {LenWidth'(0), CycWidth'(1), vlast, pos_first, pos_emit, oaddr_pos};

    case (fst_q)
      FIdle, FDone: begin
        if (job_start_i) begin
          fst_d     = FVec;
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
          r_d       = '0;
          off_d     = '0;
        end
      end
      FVec: begin
        if (vcyc == '0 && !vlast) begin
          // skipped: walk the segments without reads to advance the geometry
          fst_d  = FSeg;
          skip_d = 1'b1;
          left_d = vlen;
          dst_d  = '0;
        end else if (slot_free) begin
          pe_rd   = 1'b1;
          fmeta_d = pos_meta;
          if (vcyc == '0) begin
            // null vector: the position's end, nothing to compute
            fmeta_d     = null_meta;
            m_valid_d   = 1'b1;
            m_n_d       = '0;
            m_end_d     = 1'b1;
            m_meta_d    = null_meta;
            pos_advance = 1'b1;
          end else begin
            fst_d  = FSeg;
            skip_d = 1'b0;
            left_d = vlen;
            dst_d  = '0;
          end
        end
      end
      FSeg: begin
        m_valid_d = !skip_q;
        m_dst_d   = dst_q;
        m_n_d     = seg_n;
        m_plo_d   = LenWidth'(32'(dst_q) + (qa - q0));
        m_phi_d   = LenWidth'(32'(dst_q) + (qb - q0));
        m_rd_d    = seg_rd;
        m_end_d   = seg_end;
        m_meta_d  = fmeta_q;
        ab_re_o   = seg_rd;
        left_d    = left_q - seg_n;
        dst_d     = dst_q + seg_n;
        if (16'(off_q) + 16'(seg_n) == sc_q) begin
          off_d = '0;
          r_d   = r_q + 4'd1;
        end else begin
          off_d = off_q + 16'(seg_n);
        end
        if (seg_end) begin
          // next vector of the position
          t_d    = t_q + 14'(vlen);
          cpos_d = (13'(cpos_q) + 13'(vlen) == cfg_in_c_i) ? '0 : cpos_q + 13'(vlen);
          v_d    = v_q + VpfWidth'(1);
          fst_d  = FVec;
          if (vlast) begin
            pos_advance = 1'b1;
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
      v_d    = '0;
      t_d    = '0;
      cpos_d = '0;
      r_d    = '0;
      off_d  = '0;
      fst_d  = FVec;
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
  // F1: merge the segment into its window slot
  // ---------------------------------------------------------------------------------------
  logic [MaxVec*8-1:0]  win0_d, win0_q, win1_d, win1_q;
  logic [MetaWidth-1:0] meta0_d, meta0_q, meta1_d, meta1_q;
  logic [MaxVec*8-1:0]  seg_mask, rd_mask, merged_src;

  always_comb begin
    seg_mask = '0;
    rd_mask  = '0;
    for (int j = 0; j < MaxVec; j++) begin
      if (LenWidth'(j) >= m_dst_q && LenWidth'(j) < m_dst_q + m_n_q) seg_mask[j*8 +: 8] = 8'hff;
      if (m_rd_q && LenWidth'(j) >= m_plo_q && LenWidth'(j) < m_phi_q) rd_mask[j*8 +: 8] = 8'hff;
    end
  end
  assign merged_src = (ab_rdata_i << (32'(m_plo_q) * 8)) & rd_mask;

  always_comb begin
    win0_d  = win0_q;
    win1_d  = win1_q;
    meta0_d = meta0_q;
    meta1_d = meta1_q;
    if (m_valid_q) begin
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
  logic                 cur_slot_d, cur_slot_q;
  logic [CycWidth-1:0]  rem_d, rem_q;          // group cycles left of the current vector
  logic [2:0]           cur_flags_d, cur_flags_q;   // {pos_last, first, emit}
  logic [OutAddrWidth-1:0] cur_oaddr_d, cur_oaddr_q;
  logic [MetaWidth-1:0] cmeta;
  logic                 start;
  logic                 grp_valid, grp_last;

  assign cmeta     = cslot_q ? meta1_q : meta0_q;
  assign start     = slot_ready_q[cslot_q] && (rem_q <= CycWidth'(1)) && !clear_i;
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
      rem_d       = cmeta[MetaWidth - LenWidth - 1 -: CycWidth];
      cur_flags_d = cmeta[OutAddrWidth +: 3];
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
  logic [OutDelay*OutAddrWidth-1:0]    od_addr_d, od_addr_q;
  logic                                pos_done;   // a position's last group cycle
  assign pos_done = grp_valid && grp_last && cur_flags_q[2];

  always_comb begin
    od_valid_d = {od_valid_q[OutDelay-2:0], pos_done && cur_flags_q[0]};  // emit
    od_addr_d  = {od_addr_q[(OutDelay-1)*OutAddrWidth-1:0], cur_oaddr_q};
    if (clear_i) od_valid_d = '0;
  end

  // ---------------------------------------------------------------------------------------
  // PE array
  // ---------------------------------------------------------------------------------------
  logic [MaxVec*8-1:0]         win_cur;
  logic [Pes-1:0]              pe_out_valid;
  logic [Pes*8-1:0]            pe_out;
  logic [Pes*$clog2(Lanes+1)-1:0] pe_lanes, pe_gated;
  logic [Pes-1:0]              pe_mult;
  logic [Pes*qsa_pkg::PpCountWidth-1:0] pe_pp;

  assign win_cur = cur_slot_q ? win1_q : win0_q;

  for (genvar p = 0; p < Pes; p++) begin : g_pe
    qsa_pe #(.Lanes(Lanes), .VecRows(VecRows)) u_pe (
      .clk_i,
      .rst_ni,
      .clear_i,
      .ld_code_we_i (ld_code_we_i[p]),
      .ld_alpha_we_i(ld_alpha_we_i[p]),
      .ld_row_i,
      .ld_codes_i,
      .ld_alpha_i,
      .ld_bias_we_i (ld_bias_we_i[p]),
      .ld_bias_i,
      .rd_i         (pe_rd),
      .rd_row_i     (pe_rd_row),
      .rd_slot_i    (fslot_q),
      .active_i     (job_active_i[p]),
      .start_i      (start),
      .start_slot_i (cslot_q),
      .len_i        (cmeta[MetaWidth-1 -: LenWidth]),
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
      .ev_mult_o    (pe_mult[p]),
      .ev_pp_o      (pe_pp[p*qsa_pkg::PpCountWidth +: qsa_pkg::PpCountWidth])
    );
  end

  // The PEs' outputs carry no address and their valid is not needed: the delay line above
  // carries both (every PE runs the same fixed-latency pipeline).
  logic unused_out_valid;
  assign unused_out_valid = ^pe_out_valid[Pes-1:0];

  assign ob_we_o    = od_valid_q[OutDelay-1];
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

  logic [PeCntWidth-1:0] active_cnt;
  always_comb begin
    active_cnt = '0;
    for (int p = 0; p < Pes; p++) active_cnt = active_cnt + PeCntWidth'(job_active_i[p]);
  end

  always_comb begin
    ev_lanes_o = '0;
    ev_gated_o = '0;
    ev_mult_o  = '0;
    ev_pp_o    = '0;
    for (int p = 0; p < Pes; p++) begin
      ev_lanes_o = ev_lanes_o + LaneSumWidth'(pe_lanes[p*$clog2(Lanes+1) +: $clog2(Lanes+1)]);
      ev_gated_o = ev_gated_o + LaneSumWidth'(pe_gated[p*$clog2(Lanes+1) +: $clog2(Lanes+1)]);
      ev_mult_o  = ev_mult_o + PeCntWidth'(pe_mult[p]);
      ev_pp_o    = ev_pp_o + PpSumWidth'(pe_pp[p*qsa_pkg::PpCountWidth +: qsa_pkg::PpCountWidth]);
    end
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
      r_q          <= '0;
      off_q        <= '0;
      left_q       <= '0;
      dst_q        <= '0;
      skip_q       <= 1'b0;
      fslot_q      <= 1'b0;
      fmeta_q      <= '0;
      m_valid_q    <= 1'b0;
      m_slot_q     <= 1'b0;
      m_dst_q      <= '0;
      m_n_q        <= '0;
      m_plo_q      <= '0;
      m_phi_q      <= '0;
      m_rd_q       <= 1'b0;
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
      od_addr_q    <= '0;
      busy_q       <= 1'b0;
    end else begin
      st_c_q       <= st_c_d;
      st_rb_q      <= st_rb_d;
      sc_q         <= sc_d;
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
      r_q          <= r_d;
      off_q        <= off_d;
      left_q       <= left_d;
      dst_q        <= dst_d;
      skip_q       <= skip_d;
      fslot_q      <= fslot_d;
      fmeta_q      <= fmeta_d;
      m_valid_q    <= m_valid_d;
      m_slot_q     <= m_slot_d;
      m_dst_q      <= m_dst_d;
      m_n_q        <= m_n_d;
      m_plo_q      <= m_plo_d;
      m_phi_q      <= m_phi_d;
      m_rd_q       <= m_rd_d;
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
      od_addr_q    <= od_addr_d;
      busy_q       <= busy_d;
    end
  end

endmodule
