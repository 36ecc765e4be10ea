// The sequencer (docs/architecture.md): runs DESC_COUNT layers from DRAM without host help, in
// the order of spec §8 v2, and owns the one DMA engine.
//
// Per layer: fetch the 64-byte descriptor (DESC_PTR + 64·i), check it and plan it
// (qsa_desc_check), then run the bands. Three activities overlap, each with its own state:
//   load     band b's input rows -> activation buffer half b mod 2 (qsa_act_buf), as soon as
//            that half is free (double buffering: band b+1 loads while band b computes);
//   compute  per filter group: load the group's codes (qsa_code_unpack -> the PEs' code rows
//            and the cycle table), α's and biases into the PEs, then one qsa_compute job over
//            the band; needs the band's input half loaded and its output half free;
//   store    band b's output (qsa_out_buf half b mod 2) -> DRAM, while the next band computes.
// The DMA serves commands in order; when it is idle the store goes first, then the group load,
// then the input load. A read (a group load's codes, α's or biases, or an input load) may be
// queued behind the read in flight (qsa_dma command queueing), so its DRAM latency overlaps
// that read's beats; the descriptor and the stores wait for an idle DMA.
//
// Layer i reads ACT_ADDR[i mod 2] and writes ACT_ADDR[(i+1) mod 2]; section offsets of the
// descriptor are relative to MODEL_BASE.
//
// Errors (ERR_STATUS bit, ERR_CAUSE): a bad DESC_COUNT, a descriptor the checker refuses
// (BAD_DESC), a reserved weight code (BAD_CODE, ERR_ADDR = its code word), a DMA window
// violation (WINDOW) or error response (AXI_RESP). The first error is reported once (err_o
// pulse with layer, cause and address); the sequencer then lets the DMA command in flight
// finish (reads are drained, a store completes with its real data), abandons the compute and
// ends the run with done_o, ready for the next START.
module qsa_seq #(
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
  localparam int ActWAddrWidth = $clog2(ActHalfBytes / 8),
  localparam int OutRAddrWidth = $clog2(OutHalfBytes / 8),
  localparam int DmaLenWidth = 24,
  localparam int PeIdxWidth = $clog2(Pes + 1),
  localparam int ARowWidth = $clog2(VecRows / 8)
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,

  // control registers (qsa_axil_csr)
  input  logic                        start_i,
  input  logic [31:0]                 model_base_i,
  input  logic [31:0]                 desc_ptr_i,
  input  logic [8:0]                  desc_count_i,
  input  logic [31:0]                 act_addr0_i,
  input  logic [31:0]                 act_addr1_i,
  input  logic [127:0]                k_override_i,
  output logic                        busy_o,
  output logic                        done_o,
  output logic [3:0]                  err_o,        // ERR_STATUS bit pulses
  output logic [7:0]                  err_layer_o,
  output logic [7:0]                  err_cause_o,
  output logic [31:0]                 err_addr_o,
  output logic [7:0]                  layer_o,

  // DMA (qsa_dma)
  output logic                        dma_cmd_valid_o,
  input  logic                        dma_cmd_ready_i,
  output logic                        dma_cmd_write_o,
  output logic [31:0]                 dma_cmd_addr_o,
  output logic [DmaLenWidth-1:0]      dma_cmd_len_o,
  input  logic                        dma_done_i,
  input  logic                        dma_err_i,
  input  logic [1:0]                  dma_err_code_i,
  input  logic [31:0]                 dma_err_addr_i,
  input  logic                        dma_err_decerr_i,
  input  logic                        dma_rd_valid_i,
  output logic                        dma_rd_ready_o,
  input  logic [63:0]                 dma_rd_data_i,
  output logic                        dma_wr_valid_o,
  input  logic                        dma_wr_ready_i,
  output logic [63:0]                 dma_wr_data_o,

  // activation buffer write port
  output logic                        ab_we_o,
  output logic                        ab_whalf_o,
  output logic [ActWAddrWidth-1:0]    ab_waddr_o,
  output logic [63:0]                 ab_wdata_o,

  // output buffer read port
  output logic                        obr_re_o,
  output logic                        obr_half_o,
  output logic [OutRAddrWidth-1:0]    obr_raddr_o,
  input  logic [63:0]                 obr_rdata_i,

  // compute (qsa_compute): layer configuration
  output logic                        cfg_chanwise_o,
  output logic [LenWidth-1:0]         cfg_vec_len_o,
  output logic                        cfg_paired_o,
  output logic [VpfWidth-1:0]         cfg_vpc_o,
  output logic [qsa_pkg::KWidth-1:0]  cfg_k_o,
  output logic [4:0]                  cfg_shift_o,
  output logic                        cfg_relu_o,
  output logic                        cfg_pool_o,
  output logic [3:0]                  cfg_kw_o,
  output logic [3:0]                  cfg_stride_o,
  output logic [3:0]                  cfg_pad_t_o,
  output logic [3:0]                  cfg_pad_l_o,
  output logic [12:0]                 cfg_in_h_o,
  output logic [12:0]                 cfg_in_c_o,
  output logic [13:0]                 cfg_fan_in_o,
  output logic [12:0]                 cfg_comp_w_o,
  output logic [12:0]                 cfg_out_c_o,
  output logic [31:0]                 cfg_row_bytes_o,
  output logic [31:0]                 cfg_out_row_bytes_o,
  // compute: job
  output logic                        job_start_o,
  output logic [12:0]                 job_y0_o,
  output logic [12:0]                 job_y1_o,
  output logic [12:0]                 job_row_lo_o,
  output logic [2:0]                  job_in_mis_o,
  output logic [2:0]                  job_out_mis_o,
  output logic                        job_half_o,
  output logic [12:0]                 job_ch0_o,
  output logic [Pes-1:0]              job_active_o,
  output logic                        job_wsel_o,       // weight half of the job's group
  output logic [ActWAddrWidth:0]      job_avail_o,      // words of the job's input half written
  input  logic                        job_done_i,
  input  logic                        job_row_i,        // the job wrote an output row
  output logic                        compute_clear_o,
  // compute: cycle table and PE stores
  output logic                        tbl_we_o,
  output logic                        tbl_first_o,
  output logic [RowWidth-1:0]         tbl_row_o,
  output logic [CycWidth-1:0]         tbl_cyc_o,
  output logic [Pes-1:0]              ld_code_we_o,
  output logic [Pes-1:0]              ld_alpha_we_o,
  output logic [Pes-1:0]              ld_bias_we_o,
  output logic [RowWidth-1:0]         ld_row_o,
  output logic                        ld_half_o,        // weight half being loaded
  output logic [MaxVec*CodeW-1:0]     ld_codes_o,
  output logic [Pes*ARowWidth-1:0]    ld_arow_o,        // per PE: α row, byte enables, data
  output logic [Pes*8-1:0]            ld_abe_o,
  output logic [Pes*64-1:0]           ld_adata_o,
  output logic [Pes*32-1:0]           ld_bias_o         // per PE: bias
);

  // x / 21 for x < 2^22 (exact: checked exhaustively when this constant was chosen; the
  // cosimulation covers it again). Words and slots of 3-bit code streams.
  function automatic logic [21:0] div21(input logic [21:0] x);
    logic [49:0] prod;
    prod  = 50'(x) * 50'd6391321;
    div21 = 22'(prod >> 27);
  endfunction

  // ---------------------------------------------------------------------------------------
  // Descriptor check
  // ---------------------------------------------------------------------------------------
  logic [511:0] desc_d, desc_q;
  logic         dc_start, dc_done, dc_err;
  logic [7:0]   dc_cause;
  logic         first_d, first_q;
  logic [15:0]  prev_h_d, prev_h_q, prev_w_d, prev_w_q, prev_c_d, prev_c_q;
  logic [7:0]   layer_d, layer_q;
  logic [3:0]   k_nibble;

  assign k_nibble = (layer_q < 8'd32) ? k_override_i[{layer_q[4:0], 2'b00} +: 4] : 4'd0;

  logic         d_bits3, d_chanwise, d_relu, d_pool, d_fc;
  logic [6:0]   d_vec_len;
  logic [2:0]   d_k;
  logic [3:0]   d_kh, d_kw, d_stride, d_pad_t, d_pad_l, d_pad_b, d_pad_r;
  logic [4:0]   d_shift;
  logic [12:0]  d_in_h, d_in_w, d_in_c, d_out_c;
  logic [13:0]  d_fan_in;
  logic [VpfWidth-1:0] d_vpf;
  logic [12:0]  d_conv_h, d_conv_w, d_comp_h, d_comp_w, d_out_h, d_out_w;
  logic [31:0]  d_row_bytes, d_out_row_bytes;
  logic [12:0]  d_band_rows;
  logic [31:0]  d_codes_off, d_alpha_off, d_bias_off, d_vec_count;

  qsa_desc_check #(
    .ActBufBytes(ActHalfBytes),
    .OutBufBytes(OutHalfBytes),
    .VecRows    (VecRows),
    .Pes        (Pes)
  ) u_desc_check (
    .clk_i,
    .rst_ni,
    .start_i        (dc_start),
    .desc_i         (desc_q),
    .first_i        (first_q),
    .prev_h_i       (prev_h_q),
    .prev_w_i       (prev_w_q),
    .prev_c_i       (prev_c_q),
    .k_ovr_en_i     (k_nibble[3]),
    .k_ovr_i        (k_nibble[2:0]),
    .done_o         (dc_done),
    .err_o          (dc_err),
    .err_cause_o    (dc_cause),
    .bits3_o        (d_bits3),
    .chanwise_o     (d_chanwise),
    .relu_o         (d_relu),
    .pool_o         (d_pool),
    .fc_o           (d_fc),
    .vec_len_o      (d_vec_len),
    .k_o            (d_k),
    .kh_o           (d_kh),
    .kw_o           (d_kw),
    .stride_o       (d_stride),
    .pad_t_o        (d_pad_t),
    .pad_l_o        (d_pad_l),
    .pad_b_o        (d_pad_b),
    .pad_r_o        (d_pad_r),
    .shift_o        (d_shift),
    .in_h_o         (d_in_h),
    .in_w_o         (d_in_w),
    .in_c_o         (d_in_c),
    .out_c_o        (d_out_c),
    .fan_in_o       (d_fan_in),
    .vpf_o          (d_vpf),
    .conv_h_o       (d_conv_h),
    .conv_w_o       (d_conv_w),
    .comp_h_o       (d_comp_h),
    .comp_w_o       (d_comp_w),
    .out_h_o        (d_out_h),
    .out_w_o        (d_out_w),
    .row_bytes_o    (d_row_bytes),
    .out_row_bytes_o(d_out_row_bytes),
    .band_rows_o    (d_band_rows),
    .codes_off_o    (d_codes_off),
    .alpha_off_o    (d_alpha_off),
    .bias_off_o     (d_bias_off),
    .vec_count_o    (d_vec_count)
  );

  // Fields the datapath does not need (they are checked, and kept for the plan).
  logic unused_desc;
  assign unused_desc = ^{d_fc, d_pad_b, d_pad_r, d_conv_h, d_conv_w, d_vec_count, d_in_w};

  // ---------------------------------------------------------------------------------------
  // DMA ownership
  // ---------------------------------------------------------------------------------------
  localparam logic [2:0] OwnNone  = 3'd0;
  localparam logic [2:0] OwnDesc  = 3'd1;
  localparam logic [2:0] OwnCodes = 3'd2;
  localparam logic [2:0] OwnAlpha = 3'd3;  // α's and biases: the byte reader
  localparam logic [2:0] OwnActIn = 3'd4;
  localparam logic [2:0] OwnStore = 3'd5;

  logic [2:0]  own_d, own_q;            // the command in flight (its beats on the stream)
  logic [2:0]  own_nx_d, own_nx_q;      // a read queued behind it (OwnNone: none)
  logic        abort_d, abort_q;        // an error was reported: finish the command, stop

  // requests
  logic        req_desc, req_gl, req_ld, req_st;
  logic [31:0] gl_addr, ld_addr, st_addr;
  logic [DmaLenWidth-1:0] gl_len, ld_len, st_len;
  logic [2:0]  gl_own;                  // OwnCodes or OwnAlpha
  logic        grant_desc, grant_gl, grant_ld, grant_st;
  logic        sel_desc, sel_gl, sel_ld, sel_st;  // the command presented (granted when ready)
  logic        gl_urgent, ld_urgent;    // the next job waits for the group / input load
  logic        gl_all_sent;             // the group load's three commands are all granted
  logic        own_idle, can_queue, can_read;

  // The command presented does not depend on dma_cmd_ready_i (the DMA's ready depends on
  // dma_cmd_write_o). A read is queued only behind a group or input load, and not while a store
  // waits (it goes at the next idle DMA).
  assign own_idle   = (own_q == OwnNone) && !abort_q;
  assign can_queue  = (own_q == OwnCodes || own_q == OwnAlpha || own_q == OwnActIn)
                      && (own_nx_q == OwnNone) && !abort_q && !req_st;
  assign can_read   = own_idle ? (!req_st && !req_desc) : can_queue;
  assign sel_st     = own_idle && req_st;
  assign sel_desc   = own_idle && !req_st && req_desc;
  assign sel_gl     = can_read && req_gl && (gl_urgent || !(req_ld && ld_urgent));
  assign sel_ld     = can_read && req_ld && !sel_gl && (!gl_urgent || gl_all_sent);
  assign grant_st   = sel_st && dma_cmd_ready_i;
  assign grant_desc = sel_desc && dma_cmd_ready_i;
  assign grant_gl   = sel_gl && dma_cmd_ready_i;
  assign grant_ld   = sel_ld && dma_cmd_ready_i;

  logic [31:0] desc_addr_d, desc_addr_q;

  always_comb begin
    dma_cmd_valid_o = sel_st | sel_desc | sel_gl | sel_ld;
    dma_cmd_write_o = sel_st;
    dma_cmd_addr_o  = desc_addr_q;
    dma_cmd_len_o   = DmaLenWidth'(64);
    if (sel_st) begin
      dma_cmd_addr_o = st_addr;
      dma_cmd_len_o  = st_len;
    end else if (sel_gl) begin
      dma_cmd_addr_o = gl_addr;
      dma_cmd_len_o  = gl_len;
    end else if (sel_ld) begin
      dma_cmd_addr_o = ld_addr;
      dma_cmd_len_o  = ld_len;
    end
  end

  logic dma_ok;       // the command that just completed succeeded
  assign dma_ok = dma_done_i && !dma_err_i;

  // A done_o ends the command in flight; the queued one takes its place. A grant never comes
  // with a done_o (qsa_dma takes no command in its done_o cycle).
  always_comb begin : p_own
    logic [2:0] granted;
    granted = OwnNone;
    if (grant_st)   granted = OwnStore;
    if (grant_desc) granted = OwnDesc;
    if (grant_gl)   granted = gl_own;
    if (grant_ld)   granted = OwnActIn;
    own_d    = own_q;
    own_nx_d = own_nx_q;
    if (dma_done_i) begin
      own_d    = own_nx_q;
      own_nx_d = OwnNone;
    end
    if (granted != OwnNone) begin
      if (own_q == OwnNone) own_d = granted;
      else                  own_nx_d = granted;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Run / layer state machine
  // ---------------------------------------------------------------------------------------
  localparam logic [2:0] MIdle   = 3'd0;
  localparam logic [2:0] MDesc   = 3'd1;  // fetch the descriptor
  localparam logic [2:0] MCheck  = 3'd2;
  localparam logic [2:0] MLayer  = 3'd3;  // bands
  localparam logic [2:0] MDrain  = 3'd4;  // after an error: let the DMA finish
  localparam logic [2:0] MFinish = 3'd5;

  logic [2:0]  mst_d, mst_q;
  logic [8:0]  count_d, count_q;
  logic [3:0]  desc_beat_d, desc_beat_q;
  logic        layer_done;              // every band of the layer stored

  // error reporting (first error only)
  logic [3:0]  err_bits;
  logic [7:0]  err_cause;
  logic [31:0] err_addr;
  logic        code_err;                // reserved code popped
  logic [31:0] code_err_addr;

  always_comb begin
    err_bits  = '0;
    err_cause = qsa_regs_pkg::ERR_CAUSE_NONE;
    err_addr  = '0;
    if (dma_done_i && dma_err_i) begin
      if (dma_err_code_i == 2'd1) begin
        err_bits[qsa_regs_pkg::ERR_STATUS_WINDOW_LSB] = 1'b1;
        err_cause = (own_q == OwnStore) ? qsa_regs_pkg::ERR_CAUSE_WIN_WRITE
                                        : qsa_regs_pkg::ERR_CAUSE_WIN_READ;
      end else begin
        err_bits[qsa_regs_pkg::ERR_STATUS_AXI_RESP_LSB] = 1'b1;
        if (own_q == OwnStore) begin
          err_cause = dma_err_decerr_i ? qsa_regs_pkg::ERR_CAUSE_AXI_WR_DECERR
                                       : qsa_regs_pkg::ERR_CAUSE_AXI_WR_SLVERR;
        end else begin
          err_cause = dma_err_decerr_i ? qsa_regs_pkg::ERR_CAUSE_AXI_RD_DECERR
                                       : qsa_regs_pkg::ERR_CAUSE_AXI_RD_SLVERR;
        end
      end
      err_addr = dma_err_addr_i;
    end else if (mst_q == MCheck && dc_done && dc_err) begin
      err_bits[qsa_regs_pkg::ERR_STATUS_BAD_DESC_LSB] = 1'b1;
      err_cause = dc_cause;
      err_addr  = desc_addr_q;
    end else if (code_err) begin
      err_bits[qsa_regs_pkg::ERR_STATUS_BAD_CODE_LSB] = 1'b1;
      err_cause = qsa_regs_pkg::ERR_CAUSE_CODE_RESERVED;
      err_addr  = code_err_addr;
    end else if (mst_q == MIdle && start_i &&
                 (desc_count_i == '0 || desc_count_i > 9'd256)) begin
      err_bits[qsa_regs_pkg::ERR_STATUS_BAD_DESC_LSB] = 1'b1;
      err_cause = qsa_regs_pkg::ERR_CAUSE_DESC_COUNT;
      err_addr  = desc_ptr_i;
    end
    if (abort_q) err_bits = '0;  // report the first error only
  end

  logic failed;
  assign failed = (err_bits != '0);

  assign err_o       = err_bits;
  assign err_cause_o = err_cause;
  assign err_addr_o  = err_addr;
  assign err_layer_o = layer_q;

  // p_run, p_gl_req and p_bands may write a *_d several times per run (only registers read it),
  // but each signal another always_comb reads is set through a variable of the block and written
  // once, at the end: under Icarus 11 (Debian 12) an output that changes twice per run wakes its
  // readers and, through Icarus bug #508 (fixed in 12.0), every always_comb linked before them,
  // and two such blocks wake each other without end.
  always_comb begin : p_run
    logic check, desc_req, finish;   // dc_start, req_desc, done_o
    mst_d       = mst_q;
    count_d     = count_q;
    layer_d     = layer_q;
    desc_d      = desc_q;
    desc_beat_d = desc_beat_q;
    desc_addr_d = desc_addr_q;
    first_d     = first_q;
    prev_h_d    = prev_h_q;
    prev_w_d    = prev_w_q;
    prev_c_d    = prev_c_q;
    abort_d     = abort_q;
    check       = 1'b0;
    desc_req    = 1'b0;
    finish      = 1'b0;

    case (mst_q)
      MIdle: begin
        abort_d = 1'b0;
        if (start_i) begin
          count_d     = desc_count_i;
          layer_d     = '0;
          first_d     = 1'b1;
          desc_addr_d = desc_ptr_i;
          desc_beat_d = '0;
          mst_d       = MDesc;
        end
      end
      MDesc: begin
        desc_req = (own_q == OwnNone) && (desc_beat_q == '0);
        if (own_q == OwnDesc && dma_rd_valid_i) begin
          desc_d[{desc_beat_q[2:0], 6'd0} +: 64] = dma_rd_data_i;
          desc_beat_d = desc_beat_q + 4'd1;
        end
        if (own_q == OwnDesc && dma_ok) begin
          check = 1'b1;
          mst_d = MCheck;
        end
      end
      MCheck: begin
        if (dc_done && !dc_err) mst_d = MLayer;
      end
      MLayer: begin
        if (layer_done) begin
          first_d  = 1'b0;
          prev_h_d = 16'(d_out_h);
          prev_w_d = 16'(d_out_w);
          prev_c_d = 16'(d_out_c);
          if (9'(layer_q) + 9'd1 == count_q) begin
            mst_d = MFinish;
          end else begin
            layer_d     = layer_q + 8'd1;
            desc_addr_d = desc_addr_q + 32'd64;
            desc_beat_d = '0;
            mst_d       = MDesc;
          end
        end
      end
      MDrain: begin
        if (own_q == OwnNone) mst_d = MFinish;
      end
      MFinish: begin
        finish = 1'b1;
        mst_d  = MIdle;
      end
      default: mst_d = MIdle;
    endcase

    if (failed) begin
      abort_d = 1'b1;
      mst_d   = (mst_q == MIdle) ? MFinish : MDrain;
    end

    dc_start = check;
    req_desc = desc_req;
    done_o   = finish;
  end

  assign busy_o          = (mst_q != MIdle);
  assign layer_o         = layer_q;
  assign compute_clear_o = abort_q;

  // ---------------------------------------------------------------------------------------
  // Layer configuration to the array
  // ---------------------------------------------------------------------------------------
  // Chunks (qsa_pe): two consecutive vectors of a filter share one code row and one pass of
  // the lanes when both fit the 64-weight window, i.e. when the longest vector has at most 32
  // weights; then a filter has ceil(V/2) chunks, else V.
  logic                paired;
  logic [VpfWidth-1:0] vpc;             // chunks per filter
  logic [12:0]         vmax;            // longest vector
  assign vmax   = (d_chanwise && d_in_c < 13'(d_vec_len)) ? d_in_c : 13'(d_vec_len);
  assign paired = (vmax <= 13'd32);
  assign vpc    = paired ? VpfWidth'(((VpfWidth+1)'(d_vpf) + 1'b1) >> 1) : d_vpf;

  assign cfg_chanwise_o      = d_chanwise;
  assign cfg_vec_len_o       = d_vec_len;
  assign cfg_k_o             = d_k;
  assign cfg_shift_o         = d_shift;
  assign cfg_relu_o          = d_relu;
  assign cfg_pool_o          = d_pool;
  assign cfg_kw_o            = d_kw;
  assign cfg_stride_o        = d_stride;
  assign cfg_pad_t_o         = d_pad_t;
  assign cfg_pad_l_o         = d_pad_l;
  assign cfg_in_h_o          = d_in_h;
  assign cfg_in_c_o          = d_in_c;
  assign cfg_fan_in_o        = d_fan_in;
  assign cfg_paired_o        = paired;
  assign cfg_vpc_o           = vpc;
  assign cfg_comp_w_o        = d_comp_w;
  assign cfg_out_c_o         = d_out_c;
  assign cfg_row_bytes_o     = d_row_bytes;
  assign cfg_out_row_bytes_o = d_out_row_bytes;

  logic        running;                 // bands of a checked layer are in progress
  assign running = (mst_q == MLayer) && !abort_q;

  logic [31:0] in_base, out_base;       // this layer's activation tensors
  assign in_base  = layer_q[0] ? act_addr1_i : act_addr0_i;
  assign out_base = layer_q[0] ? act_addr0_i : act_addr1_i;

  logic        layer_init;              // the cycle the layer's bands begin
  assign layer_init = (mst_q == MCheck) && dc_done && !dc_err;

  // Band rows [y0, min(Hc, y0 + T)) and the input rows they need (spec §8 v2).
  function automatic logic [12:0] band_end(input logic [12:0] y0, input logic [12:0] t,
                                           input logic [12:0] hc);
    logic [13:0] e;
    e        = 14'(y0) + 14'(t);
    band_end = (e > 14'(hc)) ? hc : 13'(e);
  endfunction

  // ---------------------------------------------------------------------------------------
  // Input loads
  // ---------------------------------------------------------------------------------------
  logic [1:0]  in_full_d, in_full_q;
  logic [12:0] ld_y0_d, ld_y0_q;
  logic        ld_half_d, ld_half_q;
  logic [12:0] row_lo0_d, row_lo0_q, row_lo1_d, row_lo1_q;
  logic [2:0]  mis0_d, mis0_q, mis1_d, mis1_q;
  logic [ActWAddrWidth-1:0] ld_word_d, ld_word_q;

  logic [12:0]        ld_y1;
  logic signed [17:0] ld_first, ld_last;   // input rows, before clipping
  logic [12:0]        ld_row_lo, ld_row_hi;
  logic [31:0]        ld_off;

  assign ld_y1     = band_end(ld_y0_q, d_band_rows, d_comp_h);
  assign ld_first  = 18'(ld_y0_q) * 18'(d_stride) - 18'(d_pad_t);
  assign ld_last   = 18'(ld_y1) * 18'(d_stride) - 18'(d_stride) + 18'(d_kh) - 18'sd1 - 18'(d_pad_t);
  assign ld_row_lo = (ld_first < 0) ? 13'd0 : 13'(ld_first);
  assign ld_row_hi = (ld_last > 18'(d_in_h) - 18'sd1) ? d_in_h - 13'd1 : 13'(ld_last);
  assign ld_off    = 32'(ld_row_lo) * d_row_bytes;
  assign ld_addr   = in_base + ld_off;
  assign ld_len    = DmaLenWidth'((32'(ld_row_hi) - 32'(ld_row_lo) + 32'd1) * d_row_bytes);
  // (not while this band's load is in flight or queued: ld_y0 moves on at its end)
  assign req_ld    = running && (ld_y0_q < d_comp_h) && !in_full_q[ld_half_q]
                     && (own_q != OwnActIn) && (own_nx_q != OwnActIn);

  // ---------------------------------------------------------------------------------------
  // Output stores
  // ---------------------------------------------------------------------------------------
  logic [1:0]  out_full_d, out_full_q;
  logic [12:0] st_y0_d, st_y0_q;
  logic        st_half_d, st_half_q;
  logic [OutRAddrWidth-1:0] st_word_d, st_word_q;
  logic        st_have_d, st_have_q;    // obr_rdata holds the next beat

  // A band's output is stored in pieces as its rows complete: while the band's last group
  // computes, each output row it finishes (job_row_i) makes its bytes ready (ordy: bytes of the
  // band in that half), and a piece ends on the last beat boundary within the ready bytes, so
  // no beat is written twice and the pieces move exactly the beats of one transfer of the band
  // (spec §8 v2); the last piece, once the band is complete, ends at the band's end. A piece
  // is at least MinPiece bytes unless it is the last.
  localparam int MinPiece = 64;
  logic [31:0] st_done_d, st_done_q;    // bytes of the band stored
  logic [31:0] st_end_d, st_end_q;      // end of the piece in flight (band-relative)
  logic        st_fin_d, st_fin_q;      // ... which is the band's last
  logic [31:0] ordy0_d, ordy0_q, ordy1_d, ordy1_q;  // output bytes ready in half 0 / 1

  logic [12:0] st_y1, st_r0, st_r1;     // output rows (after pooling)
  logic [31:0] st_base;                 // DRAM address of the band's first output byte
  logic [31:0] st_blen;                 // its output bytes
  logic [31:0] st_s, st_e;              // the next piece [st_s, st_e)
  logic        st_piece;
  assign st_y1    = band_end(st_y0_q, d_band_rows, d_comp_h);
  assign st_r0    = d_pool ? (st_y0_q >> 1) : st_y0_q;
  assign st_r1    = d_pool ? (st_y1 >> 1) : st_y1;
  assign st_base  = out_base + 32'(st_r0) * d_out_row_bytes;
  assign st_blen  = (32'(st_r1) - 32'(st_r0)) * d_out_row_bytes;
  assign st_s     = st_base + st_done_q;
  assign st_e     = out_full_q[st_half_q] ? st_base + st_blen
                    : ((st_base + (st_half_q ? ordy1_q : ordy0_q)) & ~32'd7);
  // (a piece before the band is complete stops short of its end: the last piece is never empty)
  assign st_piece = (st_e > st_s)
                    && (out_full_q[st_half_q]
                        || ((st_e - st_s >= 32'(MinPiece)) && (st_e < st_base + st_blen)));
  assign st_addr  = st_s;
  assign st_len   = DmaLenWidth'(st_e - st_s);
  assign req_st   = running && (st_y0_q < d_comp_h) && st_piece;

  // ---------------------------------------------------------------------------------------
  // Compute: group loads and jobs
  // ---------------------------------------------------------------------------------------
  // Two processes share the work of a layer, each over the items (band, filter group) in
  // order. The loader fills a weight half of the PEs (code rows, cycle table, α rows, bias)
  // with the next item's group; the job runner starts a qsa_compute job for an item once its
  // weights, its band's input and a free output half are there. When a filter's vectors fit
  // half the vector rows (V <= VecRows/2: dbuf), the two weight halves alternate, so the next
  // group (or the next band's first group) loads while a job computes; otherwise there is one
  // half and a load waits for the job before it.
  localparam logic [1:0] LIdle  = 2'd0;
  localparam logic [1:0] LCodes = 2'd1;  // codes -> PE code rows and the cycle table
  localparam logic [1:0] LAlpha = 2'd2;  // α bytes -> PE α rows
  localparam logic [1:0] LBias  = 2'd3;  // bias bytes -> PE biases
  localparam logic       JIdle  = 1'b0;
  localparam logic       JRun   = 1'b1;

  logic        dbuf;                   // two weight halves
  logic [1:0]  wfull_d, wfull_q;       // weight half loaded, its job not done yet
  assign dbuf = (d_vpf <= VpfWidth'(VecRows / 2));

  // loader
  logic [1:0]  lst_d, lst_q;
  logic [12:0] lb_y0_d, lb_y0_q;       // band of the group being loaded
  logic [12:0] ch0_d, ch0_q;           // its first filter
  logic        lhalf_d, lhalf_q;       // the weight half it goes to
  logic [PeIdxWidth-1:0] eg;           // filters in the group
  logic [12:0] ch_left;
  logic        cmd_done_d, cmd_done_q; // the group's codes command completed
  // The group's next DMA command to request: codes, α's, biases (GlCodes..GlBias), or none
  // left (GlNone). It runs ahead of lst (the data being taken): a command is requested as soon
  // as the one before it is granted, so it can queue behind it in the DMA.
  localparam logic [1:0] GlCodes = 2'd0;
  localparam logic [1:0] GlAlpha = 2'd1;
  localparam logic [1:0] GlBias  = 2'd2;
  localparam logic [1:0] GlNone  = 2'd3;
  logic [1:0]  gl_next_d, gl_next_q;
  // The group's α and bias reads (their addresses also set the byte reader when their phase
  // starts: the group's offsets do not change before its biases are done).
  logic [31:0] gl_alpha_addr, gl_bias_addr;
  logic [15:0] gl_bias_bytes;

  assign ch_left = d_out_c - ch0_q;
  assign eg      = (ch_left > 13'(Pes)) ? PeIdxWidth'(Pes) : PeIdxWidth'(ch_left);

  // job runner
  logic        jst_d, jst_q;
  logic [12:0] cp_y0_d, cp_y0_q;       // band of the job
  logic        cp_half_d, cp_half_q;   // its activation and output half
  logic [12:0] jch0_d, jch0_q;         // first filter of its group
  logic        jhalf_d, jhalf_q;       // its weight half
  logic [PeIdxWidth-1:0] jeg;
  logic [12:0] jch_left;
  logic        in_loading;             // the job's band is loading into its half

  assign jch_left = d_out_c - jch0_q;
  assign jeg      = (jch_left > 13'(Pes)) ? PeIdxWidth'(Pes) : PeIdxWidth'(jch_left);

  // A load the next job waits for goes before one that only prefetches (qsa_dma serves one
  // command at a time), and the job's own group load before its input: a job streams its
  // input (it starts while the band loads) but needs its weights whole. gl_urgent holds from
  // the loader's start on that item to its end, across the gaps between its three commands.
  assign gl_urgent = (lb_y0_q == cp_y0_q) && (ch0_q == jch0_q) && (lb_y0_q < d_comp_h);
  // Once they are all granted the input may queue behind the biases: commands complete in
  // order, so the weights are still whole first, and the input's DRAM latency overlaps them.
  assign gl_all_sent = (lst_q != LIdle) && (gl_next_q == GlNone);
  assign ld_urgent = (ld_y0_q == cp_y0_q);

  // Code stream position of the group (word, code within it), advanced per group.
  logic [31:0] cw_d, cw_q;             // word index in the layer's code stream
  logic [4:0]  cslot_d, cslot_q;
  logic [21:0] g_codes;                // slot + Eg·F: codes to cover from word cw
  logic [21:0] g_words;                // words of the group
  logic [21:0] g_adv_words;            // whole words consumed (next group's start)
  logic [4:0]  g_adv_slot;
  logic [5:0]  cpw;
  assign cpw        = d_bits3 ? 6'd21 : 6'd32;
  assign g_codes    = 22'(cslot_q) + 22'(eg) * 22'(d_fan_in);
  assign g_words    = d_bits3 ? div21(g_codes + 22'd20) : ((g_codes + 22'd31) >> 5);
  assign g_adv_words = d_bits3 ? div21(g_codes) : (g_codes >> 5);
  assign g_adv_slot  = 5'(g_codes - g_adv_words * 22'(cpw));

  // α and bias offsets of the group within their sections
  logic [31:0] aoff_d, aoff_q;
  logic [31:0] boff_d, boff_q;
  logic [31:0] g_alpha_bytes;
  assign g_alpha_bytes = 32'(eg) * 32'(d_vpf);

  // the code-row pops: PE p, vector v (t, cpos: stream index and channel of v)
  logic [PeIdxWidth-1:0] pp_d, pp_q;
  logic [VpfWidth-1:0]   pv_d, pv_q;
  logic [RowWidth-1:0]   lrow;           // PE row of pv in the loader's weight half
  logic [13:0]           pt_d, pt_q;
  logic [12:0]           pc_d, pc_q;
  logic [LenWidth-1:0]   pop_len;        // weights of the chunk popped
  logic [LenWidth-1:0]   pop_len0, pop_len1;
  logic [13:0]           pop_t1;
  logic [12:0]           pop_c1, pop_c2;
  logic                  pop_has1;
  logic [21:0]           popped_d, popped_q;   // codes popped in this group (error address)
  logic [21:0]           code_pos, code_word;  // the popped row's first code: word in the group
  assign lrow      = RowWidth'(pv_q) + (lhalf_q ? RowWidth'(VecRows / 2) : RowWidth'(0));
  assign code_pos  = 22'(cslot_q) + popped_q;
  assign code_word = d_bits3 ? div21(code_pos) : (code_pos >> 5);
  assign pop_len0  = qsa_pkg::vector_length(d_chanwise, d_vec_len, d_in_c - pc_q, d_fan_in - pt_q);
  assign pop_t1    = pt_q + 14'(pop_len0);
  assign pop_c1    = (pc_q + 13'(pop_len0) == d_in_c) ? '0 : pc_q + 13'(pop_len0);
  assign pop_has1  = paired && (pop_t1 < d_fan_in);
  assign pop_len1  = pop_has1 ? qsa_pkg::vector_length(d_chanwise, d_vec_len, d_in_c - pop_c1,
                                                       d_fan_in - pop_t1) : '0;
  assign pop_c2    = (pop_has1 && pop_c1 + 13'(pop_len1) == d_in_c) ? '0 : pop_c1 + 13'(pop_len1);
  assign pop_len   = pop_len0 + pop_len1;

  // unpacker
  logic                     up_clear, up_word_ready, up_vec_valid, up_vec_ready;
  logic [MaxVec*CodeW-1:0]  up_row;
  logic [LenWidth-1:0]      up_nnz;
  logic                     up_reserved;

  qsa_code_unpack #(.MaxVec(MaxVec), .BufCodes(128)) u_unpack (
    .clk_i,
    .rst_ni,
    .clear_i       (up_clear),
    .skip_i        (cslot_q),
    .bits3_i       (d_bits3),
    .word_valid_i  (own_q == OwnCodes && dma_rd_valid_i),
    .word_ready_o  (up_word_ready),
    .word_i        (dma_rd_data_i),
    .vec_valid_i   (up_vec_valid),
    .vec_len_i     (pop_len),
    .vec_ready_o   (up_vec_ready),
    .row_o         (up_row),
    .row_nnz_o     (up_nnz),
    .row_reserved_o(up_reserved)
  );

  // Beat reader for α's and biases: first lane of the current beat not yet taken, bytes of the
  // transfer left. Each cycle it takes a prefix of the beat's remaining lanes. α's: lane i is
  // vector v_i of PE p_i (consecutive over the group, V per PE); every PE writes one 64-bit α
  // row per cycle, so the prefix stops where a PE would need a second row (a beat takes at
  // most two cycles). Biases start on a 4-byte lane (sections are 8-byte aligned, a group's
  // biases at 4·g·E): one or two per beat, each to its PE.
  // The α writes are registered: the lanes taken (their PE and vector row) and the beat go
  // into aw_*_q, and the next cycle turns them into each PE's row write (p_alpha_write), so the
  // lane selection and the byte rotation are not one path. The bias phase, a DMA command later,
  // follows every α write.
  logic [2:0]  br_lane_d, br_lane_q;
  logic [15:0] br_left_d, br_left_q;
  logic        br_phase;                  // the α's or the biases are being taken
  logic        br_take;                   // a beat is presented and lanes are taken
  logic [3:0]  br_n;                      // lanes taken
  logic        br_beat_done;              // ... and they finish the beat (or the transfer)
  logic [PeIdxWidth-1:0] br_pp;           // PE and vector of the first lane not taken
  logic [VpfWidth-1:0]   br_pv;
  logic [Pes-1:0]        br_we;           // per PE: a bias is written
  logic [Pes*32-1:0]     br_bias;
  logic [8*PeIdxWidth-1:0] br_lp;         // α lanes of this cycle: PE, vector row, taken
  logic [8*RowWidth-1:0]   br_lvi;
  logic [7:0]              br_ltk;
  logic                    aw_valid_d, aw_valid_q;   // the α lanes registered for writing
  logic [8*PeIdxWidth-1:0] aw_lp_q;
  logic [8*RowWidth-1:0]   aw_lvi_q;
  logic [7:0]              aw_ltk_q;
  logic [63:0]             aw_data_q;
  logic [RowWidth-1:0]   hbase;           // first vector row of the loader's weight half
  assign hbase = lhalf_q ? RowWidth'(VecRows / 2) : RowWidth'(0);

  // The α lanes of a beat in closed form, not as a walk that passes each lane's PE, vector and
  // row on to the next (that chain was qsa_top's longest path). Lane i is place j = i - l0 of
  // the beat (l0 = br_lane_q) and holds group vector pv + j counted from the current PE pp.
  // The places where a new PE starts are T_m = (vpf - pv) + m·vpf, m = 0, 1, ...; only those
  // up to 8 matter (a beat has at most 8 places), so each is clipped to 4 bits and a place
  // finds its PE pp + q and vector by comparing its constant j with them: q = the number of
  // T_m <= j (npe), vector pv + j when q = 0, else j - T_(q-1). A place is taken when every place
  // before it is, it lies in the beat and the transfer, and it does not start a second α row
  // of the same PE: its vector v is not 0 (not a PE's first) and hbase + v is a multiple of 8
  // (the beat's first place always is taken). The state after the beat is the first place not
  // taken.
  localparam int VpfMulWidth = VpfWidth + 3;   // m·vpf for m <= 7
  logic [8*4-1:0] pe_at;                       // T_m clipped to 9, at [m*4 +: 4], m = 0 .. 7
  // Needed in the α phase only (a simulator skips the loop in the other cycles).
  always_comb begin : p_pe_at
    logic [8*4-1:0]         at;
    logic [VpfMulWidth-1:0] t;
    at = '0;
    t  = '0;
    if (lst_q == LAlpha) begin
      for (int m = 0; m < 8; m++) begin
        t = VpfMulWidth'(d_vpf) - VpfMulWidth'(pv_q) + VpfMulWidth'(m) * VpfMulWidth'(d_vpf);
        at[m*4 +: 4] = (t > VpfMulWidth'(9)) ? 4'd9 : 4'(t);
      end
    end
    pe_at = at;
  end

  always_comb begin : p_beat
    logic [8*PeIdxWidth-1:0] lp;          // per lane: PE, vector row (hbase + v), taken
    logic [8*RowWidth-1:0]   lvi;
    logic [7:0]              ltk;
    logic [9*PeIdxWidth-1:0] jp;          // per place j = 0 .. 8 in the beat (lane l0 + j):
    logic [9*VpfWidth-1:0]   jv;          //   its PE and vector,
    logic [9*RowWidth-1:0]   jvi;         //   its vector row,
    logic [8:0]              jtk;         //   taken (every place before it is)
    logic [3:0]              npe;         // new PEs up to a place
    logic [3:0]              last;        // the place where its PE starts (npe > 0)
    logic [3:0]              w;           // ... and how far the place is past it
    logic [VpfWidth-1:0]     v;
    logic [RowWidth-1:0]     vi;
    logic                    run;         // every place so far is taken
    logic [3:0]              j;           // lane i's place: i - br_lane_q
    logic [3:0]              n;
    logic [PeIdxWidth-1:0]   pn;          // PE and vector of the first place not taken
    logic [VpfWidth-1:0]     vn;
    lp     = '0;
    lvi    = '0;
    ltk    = '0;
    jp     = '0;
    jv     = '0;
    jvi    = '0;
    jtk    = '0;
    npe    = '0;
    last   = '0;
    w      = '0;
    v      = '0;
    vi     = '0;
    run    = 1'b1;
    j      = '0;
    n      = '0;
    pn     = pp_q;
    vn     = pv_q;
    br_n   = '0;
    br_we    = '0;
    br_bias  = '0;
    if (lst_q == LAlpha) begin
      // Places first: they depend on pv, pp and vpf only, not on where the beat starts.
      for (int k = 0; k <= 8; k++) begin
        npe  = '0;
        last = '0;
        for (int m = 0; m < 8; m++) begin
          if (4'(k) >= pe_at[m*4 +: 4]) begin
            npe  = 4'(m + 1);
            last = pe_at[m*4 +: 4];
          end
        end
        w  = 4'(k) - last;
        v  = (npe == '0) ? pv_q + VpfWidth'(k) : VpfWidth'(w);
        vi = hbase + RowWidth'(v);
        jp[k*PeIdxWidth +: PeIdxWidth] = pp_q + PeIdxWidth'(npe);
        jv[k*VpfWidth +: VpfWidth]     = v;
        jvi[k*RowWidth +: RowWidth]    = vi;
        run = run && (4'(k) + 4'(br_lane_q) < 4'd8) && (16'(k) < br_left_q)
              && !(k != 0 && v != '0 && (vi % RowWidth'(8)) == '0);
        jtk[k] = run;
        n      = n + 4'(run);
      end
      for (int i = 0; i < 8; i++) begin
        if (3'(i) >= br_lane_q) begin
          j = 4'(i) - 4'(br_lane_q);
          ltk[i]                         = jtk[j];
          lp[i*PeIdxWidth +: PeIdxWidth] = jp[j*PeIdxWidth +: PeIdxWidth];
          lvi[i*RowWidth +: RowWidth]    = jvi[j*RowWidth +: RowWidth];
        end
      end
      // the state after the beat: the first place not taken
      pn   = jp[n*PeIdxWidth +: PeIdxWidth];
      vn   = jv[n*VpfWidth +: VpfWidth];
      br_n = n;
    end else if (lst_q == LBias) begin
      // biases: lanes [l0, l0 + 4) for PE pp, [4, 8) for PE pp + 1 (outside the two phases
      // nothing is taken or written, and a simulator skips both branches)
      if (br_left_q >= 16'd4) begin
        br_n = 4'd4;
        if (br_lane_q == 3'd0 && br_left_q >= 16'd8) br_n = 4'd8;
      end
      for (int q = 0; q < Pes; q++) begin
        br_bias[q*32 +: 32] = (PeIdxWidth'(q) == pp_q) ? dma_rd_data_i[{br_lane_q, 3'd0} +: 32]
                                                      : dma_rd_data_i[63:32];
        br_we[q] = (PeIdxWidth'(q) == pp_q && br_n != '0)
                   || (PeIdxWidth'(q) == pp_q + PeIdxWidth'(1) && br_n == 4'd8);
      end
      pn = pp_q + PeIdxWidth'(br_n >> 2);
    end
    br_lp        = lp;
    br_lvi       = lvi;
    br_ltk       = ltk;
    br_pp        = pn;
    br_pv        = vn;
    br_beat_done = (4'(br_lane_q) + br_n == 4'd8) || (16'(br_n) == br_left_q);
  end

  // The registered α lanes, per PE: the lanes it takes, rotated so that lane i lands on byte
  // vi mod 8 of its row.
  always_comb begin : p_alpha_write
    logic [Pes-1:0]           we;
    logic [Pes*ARowWidth-1:0] arow;
    logic [Pes*8-1:0]         abe;
    logic [Pes*64-1:0]        adata;
    logic [2:0]               rot;
    logic [7:0]               mask;
    we    = '0;
    arow  = '0;
    abe   = '0;
    adata = '0;
    rot   = '0;
    mask  = '0;
    if (aw_valid_q) begin  // idle otherwise: the loops below are not evaluated
      for (int q = 0; q < Pes; q++) begin
        mask = '0;
        rot  = '0;
        for (int i = 0; i < 8; i++) begin
          if (aw_ltk_q[i] && aw_lp_q[i*PeIdxWidth +: PeIdxWidth] == PeIdxWidth'(q)) begin
            mask[i] = 1'b1;
            we[q]   = 1'b1;
            arow[q*ARowWidth +: ARowWidth] = ARowWidth'(aw_lvi_q[i*RowWidth +: RowWidth] >> 3);
            rot     = 3'(aw_lvi_q[i*RowWidth +: RowWidth]) - 3'(i);
          end
        end
        abe[q*8 +: 8]    = (mask << rot) | (mask >> (4'd8 - {1'b0, rot}));
        adata[q*64 +: 64] = (aw_data_q << {rot, 3'd0})
                            | (aw_data_q >> (7'd64 - {1'b0, rot, 3'd0}));
      end
    end
    ld_alpha_we_o = we;
    ld_arow_o     = arow;
    ld_abe_o      = abe;
    ld_adata_o    = adata;
  end

  logic                 pop;
  logic [CycWidth-1:0]  pop_cyc;
  assign pop     = up_vec_valid && up_vec_ready;
  // ceil(nnz / Lanes)
  assign pop_cyc = CycWidth'((32'(up_nnz) + 32'(Lanes) - 32'd1) / 32'(Lanes));

  // (a queued α command's beats can arrive while the unpacker still hands out the last code
  // rows: they wait for LAlpha)
  assign br_phase      = (lst_q == LAlpha) || (lst_q == LBias);
  assign gl_alpha_addr = model_base_i + d_alpha_off + aoff_q;
  assign gl_bias_addr  = model_base_i + d_bias_off + boff_q;
  assign gl_bias_bytes = 16'({eg, 2'b00});

  // The group load's DMA requests: codes, then α's, then biases (each output written once, as
  // in p_run).
  always_comb begin : p_gl_req
    logic                   req;
    logic [2:0]             own;
    logic [31:0]            addr;
    logic [DmaLenWidth-1:0] len;
    req  = 1'b0;
    own  = OwnCodes;
    addr = model_base_i + d_codes_off + {cw_q[28:0], 3'd0};
    len  = DmaLenWidth'({g_words, 3'd0});
    if (running && lst_q != LIdle) begin
      case (gl_next_q)
        GlCodes: req = 1'b1;
        GlAlpha: begin
          req  = 1'b1;
          own  = OwnAlpha;
          addr = gl_alpha_addr;
          len  = DmaLenWidth'(g_alpha_bytes);
        end
        GlBias: begin
          req  = 1'b1;
          own  = OwnAlpha;
          addr = gl_bias_addr;
          len  = DmaLenWidth'(gl_bias_bytes);
        end
        default: req = 1'b0;
      endcase
    end
    req_gl  = req;
    gl_own  = own;
    gl_addr = addr;
    gl_len  = len;
  end

  always_comb begin : p_bands
    // up_clear, up_vec_valid, code_err, job_start_o, dma_wr_valid_o (written once, as in p_run)
    logic unpack_clear, unpack_pop, bad_code, job_start, wr_valid;
    lst_d       = lst_q;
    lb_y0_d     = lb_y0_q;
    ch0_d       = ch0_q;
    lhalf_d     = lhalf_q;
    wfull_d     = wfull_q;
    jst_d       = jst_q;
    cp_y0_d     = cp_y0_q;
    cp_half_d   = cp_half_q;
    jch0_d      = jch0_q;
    jhalf_d     = jhalf_q;
    cmd_done_d  = cmd_done_q;
    gl_next_d   = gl_next_q;
    cw_d        = cw_q;
    cslot_d     = cslot_q;
    aoff_d      = aoff_q;
    boff_d      = boff_q;
    pp_d        = pp_q;
    pv_d        = pv_q;
    pt_d        = pt_q;
    pc_d        = pc_q;
    popped_d    = popped_q;
    br_lane_d   = br_lane_q;
    br_left_d   = br_left_q;
    in_full_d   = in_full_q;
    out_full_d  = out_full_q;
    ld_y0_d     = ld_y0_q;
    ld_half_d   = ld_half_q;
    ld_word_d   = ld_word_q;
    row_lo0_d   = row_lo0_q;
    row_lo1_d   = row_lo1_q;
    mis0_d      = mis0_q;
    mis1_d      = mis1_q;
    st_y0_d     = st_y0_q;
    st_half_d   = st_half_q;
    st_word_d   = st_word_q;
    st_have_d   = st_have_q;
    st_done_d   = st_done_q;
    st_end_d    = st_end_q;
    st_fin_d    = st_fin_q;
    ordy0_d     = ordy0_q;
    ordy1_d     = ordy1_q;

    unpack_clear = 1'b0;
    unpack_pop  = 1'b0;
    bad_code    = 1'b0;
    code_err_addr = model_base_i + d_codes_off + {(cw_q[28:0] + 29'(code_word)), 3'd0};
    br_take     = 1'b0;
    job_start   = 1'b0;

    tbl_we_o      = 1'b0;
    tbl_first_o   = (pp_q == '0);
    tbl_row_o     = lrow;
    tbl_cyc_o     = pop_cyc;
    ld_code_we_o  = '0;
    ld_bias_we_o  = '0;
    aw_valid_d    = 1'b0;
    ld_row_o      = lrow;
    ld_codes_o    = up_row;
    ld_bias_o     = br_bias;

    ab_we_o        = 1'b0;
    ab_whalf_o     = ld_half_q;
    ab_waddr_o     = ld_word_q;
    ab_wdata_o     = dma_rd_data_i;
    obr_re_o       = 1'b0;
    obr_half_o     = st_half_q;
    obr_raddr_o    = st_word_q;
    wr_valid       = 1'b0;
    dma_wr_data_o  = obr_rdata_i;

    // ---- layer start
    if (layer_init) begin
      in_full_d  = '0;
      out_full_d = '0;
      ld_y0_d    = '0;
      ld_half_d  = 1'b0;
      st_y0_d    = '0;
      st_half_d  = 1'b0;
      st_word_d  = '0;
      st_done_d  = '0;
      ordy0_d    = '0;
      ordy1_d    = '0;
      lst_d      = LIdle;
      lb_y0_d    = '0;
      ch0_d      = '0;
      lhalf_d    = 1'b0;
      wfull_d    = '0;
      cw_d       = '0;
      cslot_d    = '0;
      aoff_d     = '0;
      boff_d     = '0;
      jst_d      = JIdle;
      cp_y0_d    = '0;
      cp_half_d  = 1'b0;
      jch0_d     = '0;
      jhalf_d    = 1'b0;
    end

    // ---- read stream routing (ready is computed apart, below: it never depends on valid)
    if (own_q == OwnActIn) begin
      ab_we_o = dma_rd_valid_i;
      if (dma_rd_valid_i) ld_word_d = ld_word_q + ActWAddrWidth'(1);
    end
    // α and bias bytes: a beat in one or two cycles, only in their phases (br_phase)
    br_take = (own_q == OwnAlpha) && br_phase && !abort_q && (br_left_q != '0) && dma_rd_valid_i;

    // ---- input loads
    if (grant_ld) begin
      ld_word_d = '0;
      if (!ld_half_q) begin
        row_lo0_d = ld_row_lo;
        mis0_d    = ld_off[2:0];
      end else begin
        row_lo1_d = ld_row_lo;
        mis1_d    = ld_off[2:0];
      end
    end
    // A band's jobs can all end before its input load does: they start while it streams in
    // and never read its last bytes when those are only columns past the last window (the
    // stride steps over them) or bytes of chunks with no nonzero code (skipped). The job
    // runner has then released the half and moved on (cp_y0 past ld_y0), so the half stays
    // free: marking it full would hand the band's stale rows to band b+2, whose input would
    // never load. (A job ending in this very cycle has cp_y0 == ld_y0 and clears it below.)
    if (own_q == OwnActIn && dma_ok) begin
      in_full_d[ld_half_q] = (ld_y0_q >= cp_y0_q);
      ld_half_d = !ld_half_q;
      ld_y0_d   = ld_y1;
    end

    // ---- output stores: read word i, present it, read i+1 on the handshake
    if (grant_st) begin
      obr_re_o    = 1'b1;
      obr_raddr_o = st_word_q;
      st_word_d   = st_word_q + OutRAddrWidth'(1);
      st_have_d   = 1'b0;
      st_end_d    = st_e - st_base;
      st_fin_d    = out_full_q[st_half_q];
    end
    if (own_q == OwnStore) begin
      st_have_d = 1'b1;   // the read issued last cycle has arrived
      if (st_have_q) begin
        wr_valid = 1'b1;
        if (dma_wr_ready_i) begin
          // the next word is read now and shows on obr_rdata_i next cycle
          obr_re_o  = 1'b1;
          st_word_d = st_word_q + OutRAddrWidth'(1);
        end
      end
    end
    if (own_q == OwnStore && dma_done_i) begin
      wr_valid = 1'b0;
      if (!dma_err_i) begin
        // the next piece starts at the word after the piece's last (the reader ran one ahead)
        st_done_d = st_end_q;
        st_word_d = st_word_q - OutRAddrWidth'(1);
        if (st_fin_q) begin
          out_full_d[st_half_q] = 1'b0;
          st_half_d = !st_half_q;
          st_y0_d   = st_y1;
          st_done_d = '0;
          st_word_d = '0;
          if (st_half_q) ordy1_d = '0;
          else           ordy0_d = '0;
        end
      end
    end
    // rows written by a band's last group are ready to store
    if (job_row_i && jch0_q + 13'(jeg) == d_out_c) begin
      if (cp_half_q) ordy1_d = ordy1_q + d_out_row_bytes;
      else           ordy0_d = ordy0_q + d_out_row_bytes;
    end

    // ---- group loads: the items in order, each into its weight half once that is free
    // The commands are granted in order, possibly ahead of the phase that takes their data; the
    // codes' grant clears the unpacker.
    if (grant_gl) begin
      gl_next_d = gl_next_q + 2'd1;
      if (gl_next_q == GlCodes) unpack_clear = 1'b1;
    end
    if (running) begin
      case (lst_q)
        LIdle: begin
          if (lb_y0_q < d_comp_h && !wfull_q[lhalf_q]) begin
            lst_d      = LCodes;
            gl_next_d  = GlCodes;
            cmd_done_d = 1'b0;
            pp_d       = '0;
            pv_d       = '0;
            pt_d       = '0;
            pc_d       = '0;
            popped_d   = '0;
          end
        end
        LCodes: begin
          if (own_q == OwnCodes && dma_ok) cmd_done_d = 1'b1;
          if (gl_next_q != GlCodes && pp_q != eg) begin  // the codes were granted
            unpack_pop = 1'b1;
            if (pop) begin
              ld_code_we_o[pp_q[$clog2(Pes > 1 ? Pes : 2)-1:0]] = 1'b1;
              tbl_we_o   = 1'b1;
              popped_d   = popped_q + 22'(pop_len);
              bad_code   = up_reserved;
              // next chunk of this filter, or the next filter
              if (pv_q + VpfWidth'(1) == vpc) begin
                pv_d = '0;
                pt_d = '0;
                pc_d = '0;
                pp_d = pp_q + PeIdxWidth'(1);
              end else begin
                pv_d = pv_q + VpfWidth'(1);
                pt_d = pt_q + 14'(pop_len);
                pc_d = pop_c2;
              end
            end
          end
          if (pp_q == eg && (cmd_done_q || (own_q == OwnCodes && dma_ok))) begin
            lst_d      = LAlpha;
            cmd_done_d = 1'b0;
            pp_d       = '0;
            pv_d       = '0;
            br_lane_d  = gl_alpha_addr[2:0];  // the byte reader, for the α's
            br_left_d  = 16'(g_alpha_bytes);
          end
        end
        LAlpha, LBias: begin
          if (br_take) begin
            br_lane_d = br_beat_done ? 3'd0 : br_lane_q + 3'(br_n);
            br_left_d = br_left_q - 16'(br_n);
            pp_d      = br_pp;
            pv_d      = br_pv;
            if (lst_q == LAlpha) aw_valid_d   = 1'b1;
            else                 ld_bias_we_o = br_we;
          end
          if (own_q == OwnAlpha && dma_ok) begin
            pp_d       = '0;
            pv_d       = '0;
            lst_d      = (lst_q == LAlpha) ? LBias : LIdle;
            if (lst_q == LAlpha) begin  // the byte reader, for the biases
              br_lane_d = gl_bias_addr[2:0];
              br_left_d = gl_bias_bytes;
            end
            if (lst_q == LBias) begin
              // the group is in its half: on to the next item
              wfull_d[lhalf_q] = 1'b1;
              lhalf_d  = lhalf_q ^ dbuf;
              cw_d     = cw_q + 32'(g_adv_words);
              cslot_d  = g_adv_slot;
              aoff_d   = aoff_q + g_alpha_bytes;
              boff_d   = boff_q + 32'({eg, 2'b00});
              ch0_d    = ch0_q + 13'(eg);
              if (ch0_q + 13'(eg) == d_out_c) begin
                ch0_d   = '0;
                cw_d    = '0;
                cslot_d = '0;
                aoff_d  = '0;
                boff_d  = '0;
                lb_y0_d = band_end(lb_y0_q, d_band_rows, d_comp_h);
              end
            end
          end
        end
        default: lst_d = LIdle;
      endcase
    end
    if (abort_q) lst_d = LIdle;

    // ---- jobs: the items in order
    if (running) begin
      case (jst_q)
        JIdle: begin
          if (cp_y0_q < d_comp_h && wfull_q[jhalf_q] && (in_full_q[cp_half_q] || in_loading)
              && !out_full_q[cp_half_q]) begin
            job_start = 1'b1;
            jst_d     = JRun;
          end
        end
        JRun: begin
          if (job_done_i) begin
            // next group, or the band is complete
            jst_d            = JIdle;
            wfull_d[jhalf_q] = 1'b0;
            jhalf_d          = jhalf_q ^ dbuf;
            if (jch0_q + 13'(jeg) == d_out_c) begin
              in_full_d[cp_half_q]  = 1'b0;
              out_full_d[cp_half_q] = 1'b1;
              cp_half_d = !cp_half_q;
              cp_y0_d   = band_end(cp_y0_q, d_band_rows, d_comp_h);
              jch0_d    = '0;
            end else begin
              jch0_d = jch0_q + 13'(jeg);
            end
          end
        end
        default: jst_d = JIdle;
      endcase
    end
    if (abort_q) jst_d = JIdle;

    up_clear       = unpack_clear;
    up_vec_valid   = unpack_pop;
    code_err       = bad_code;
    job_start_o    = job_start;
    dma_wr_valid_o = wr_valid;
  end

  // Read-stream ready per owner. The α/bias byte reader releases a beat after its last lane,
  // after the last wanted byte, or at once when no byte of it is wanted.
  always_comb begin
    case (own_q)
      OwnDesc, OwnActIn: dma_rd_ready_o = 1'b1;
      OwnCodes:          dma_rd_ready_o = up_word_ready || abort_q;
      OwnAlpha:          dma_rd_ready_o = abort_q || (br_phase && ((br_left_q == '0) || br_beat_done));
      default:           dma_rd_ready_o = 1'b0;
    endcase
  end

  assign layer_done = running && (st_y0_q >= d_comp_h) && (d_comp_h != '0)
                      && (own_q == OwnNone);

  // job parameters
  logic [2:0]  cp_r0;   // low bits of the band's first output row
  assign cp_r0        = d_pool ? cp_y0_q[3:1] : cp_y0_q[2:0];
  assign job_y0_o     = cp_y0_q;
  assign job_y1_o     = band_end(cp_y0_q, d_band_rows, d_comp_h);
  assign job_row_lo_o = cp_half_q ? row_lo1_q : row_lo0_q;
  assign job_in_mis_o = cp_half_q ? mis1_q : mis0_q;
  assign job_out_mis_o = 3'(cp_r0 * d_out_row_bytes[2:0]);  // (r0 · ob) mod 8
  assign job_half_o   = cp_half_q;
  assign job_ch0_o    = jch0_q;
  assign job_wsel_o   = jhalf_q;
  // A job may start while its band's input loads: it reads only the words already written.
  assign in_loading   = (own_q == OwnActIn) && (ld_half_q == cp_half_q);
  assign job_avail_o  = in_full_q[cp_half_q] ? (ActWAddrWidth+1)'(ActHalfBytes / 8)
                        : (in_loading ? {1'b0, ld_word_q} : '0);
  for (genvar p = 0; p < Pes; p++) begin : g_job_active
    assign job_active_o[p] = (PeIdxWidth'(p) < jeg);
  end

  // PE rows of the load: chunk (codes, cycle table) or vector (α) index in the weight half
  assign ld_half_o = lhalf_q;

  // ---------------------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_valid_q  <= 1'b0;
      aw_lp_q     <= '0;
      aw_lvi_q    <= '0;
      aw_ltk_q    <= '0;
      aw_data_q   <= '0;
      desc_q      <= '0;
      first_q     <= 1'b1;
      prev_h_q    <= '0;
      prev_w_q    <= '0;
      prev_c_q    <= '0;
      layer_q     <= '0;
      own_q       <= OwnNone;
      own_nx_q    <= OwnNone;
      abort_q     <= 1'b0;
      desc_addr_q <= '0;
      mst_q       <= MIdle;
      count_q     <= '0;
      desc_beat_q <= '0;
      in_full_q   <= '0;
      ld_y0_q     <= '0;
      ld_half_q   <= 1'b0;
      row_lo0_q   <= '0;
      row_lo1_q   <= '0;
      mis0_q      <= '0;
      mis1_q      <= '0;
      ld_word_q   <= '0;
      out_full_q  <= '0;
      st_y0_q     <= '0;
      st_half_q   <= 1'b0;
      st_word_q   <= '0;
      st_have_q   <= 1'b0;
      st_done_q   <= '0;
      st_end_q    <= '0;
      st_fin_q    <= 1'b0;
      ordy0_q     <= '0;
      ordy1_q     <= '0;
      lst_q       <= LIdle;
      lb_y0_q     <= '0;
      ch0_q       <= '0;
      lhalf_q     <= 1'b0;
      wfull_q     <= '0;
      jst_q       <= JIdle;
      cp_y0_q     <= '0;
      cp_half_q   <= 1'b0;
      jch0_q      <= '0;
      jhalf_q     <= 1'b0;
      cmd_done_q  <= 1'b0;
      gl_next_q   <= GlNone;
      cw_q        <= '0;
      cslot_q     <= '0;
      aoff_q      <= '0;
      boff_q      <= '0;
      pp_q        <= '0;
      pv_q        <= '0;
      pt_q        <= '0;
      pc_q        <= '0;
      popped_q    <= '0;
      br_lane_q   <= '0;
      br_left_q   <= '0;
    end else begin
      aw_valid_q  <= aw_valid_d;
      if (aw_valid_d) begin  // only an α write needs them; they hold otherwise
        aw_lp_q   <= br_lp;
        aw_lvi_q  <= br_lvi;
        aw_ltk_q  <= br_ltk;
        aw_data_q <= dma_rd_data_i;
      end
      desc_q      <= desc_d;
      first_q     <= first_d;
      prev_h_q    <= prev_h_d;
      prev_w_q    <= prev_w_d;
      prev_c_q    <= prev_c_d;
      layer_q     <= layer_d;
      own_q       <= own_d;
      own_nx_q    <= own_nx_d;
      abort_q     <= abort_d;
      desc_addr_q <= desc_addr_d;
      mst_q       <= mst_d;
      count_q     <= count_d;
      desc_beat_q <= desc_beat_d;
      in_full_q   <= in_full_d;
      ld_y0_q     <= ld_y0_d;
      ld_half_q   <= ld_half_d;
      row_lo0_q   <= row_lo0_d;
      row_lo1_q   <= row_lo1_d;
      mis0_q      <= mis0_d;
      mis1_q      <= mis1_d;
      ld_word_q   <= ld_word_d;
      out_full_q  <= out_full_d;
      st_y0_q     <= st_y0_d;
      st_half_q   <= st_half_d;
      st_word_q   <= st_word_d;
      st_have_q   <= st_have_d;
      st_done_q   <= st_done_d;
      st_end_q    <= st_end_d;
      st_fin_q    <= st_fin_d;
      ordy0_q     <= ordy0_d;
      ordy1_q     <= ordy1_d;
      lst_q       <= lst_d;
      lb_y0_q     <= lb_y0_d;
      ch0_q       <= ch0_d;
      lhalf_q     <= lhalf_d;
      wfull_q     <= wfull_d;
      jst_q       <= jst_d;
      cp_y0_q     <= cp_y0_d;
      cp_half_q   <= cp_half_d;
      jch0_q      <= jch0_d;
      jhalf_q     <= jhalf_d;
      cmd_done_q  <= cmd_done_d;
      gl_next_q   <= gl_next_d;
      cw_q        <= cw_d;
      cslot_q     <= cslot_d;
      aoff_q      <= aoff_d;
      boff_q      <= boff_d;
      pp_q        <= pp_d;
      pv_q        <= pv_d;
      pt_q        <= pt_d;
      pc_q        <= pc_d;
      popped_q    <= popped_d;
      br_lane_q   <= br_lane_d;
      br_left_q   <= br_left_d;
    end
  end

endmodule
