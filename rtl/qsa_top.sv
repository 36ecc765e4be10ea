// QSA accelerator top (docs/architecture.md): an AXI4-Lite register slave for the host, one
// AXI4 master to DRAM, and an interrupt.
//
//   qsa_axil_csr  registers (rtl/regs/qsa_regs.json), interrupt, first-error capture
//   qsa_seq       descriptor fetch and check, bands, filter-group loads, DMA scheduling
//   qsa_dma       the AXI4 master (INCR bursts, DRAM window guard)
//   qsa_act_buf   activation input buffer, two halves (double buffering)
//   qsa_compute   the PE array (qsa_pe) with its window fetch and output path
//   qsa_out_buf   output buffer, two halves (double buffering)
// and the performance counters (docs/architecture.md, "Counters").
module qsa_top #(
  parameter int Pes = 8,               // processing elements (filters in parallel), 1..255
  parameter int Lanes = 8,             // nonzero codes per PE per cycle, 1..64
  parameter int VecRows = 256,         // vectors per filter a PE holds, a power of two >= 16
  parameter int ActHalfBytes = 32768,  // activation buffer bytes per half (spec §8 A)
  parameter int OutHalfBytes = 8192,   // output buffer bytes per half (spec §8 O)
  parameter int MaxBurst = 16,         // AXI burst length limit (beats)
  parameter int MaxReads = 4,          // AXI read bursts the DMA keeps outstanding, 1..64
  localparam int AxilAddrWidth = 12,
  localparam int AddrWidth = 32,
  localparam int DataWidth = 64
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,

  // AXI4-Lite slave (host)
  input  logic [AxilAddrWidth-1:0] s_axil_awaddr_i,
  input  logic [2:0]               s_axil_awprot_i,
  input  logic                     s_axil_awvalid_i,
  output logic                     s_axil_awready_o,
  input  logic [31:0]              s_axil_wdata_i,
  input  logic [3:0]               s_axil_wstrb_i,
  input  logic                     s_axil_wvalid_i,
  output logic                     s_axil_wready_o,
  output logic [1:0]               s_axil_bresp_o,
  output logic                     s_axil_bvalid_o,
  input  logic                     s_axil_bready_i,
  input  logic [AxilAddrWidth-1:0] s_axil_araddr_i,
  input  logic [2:0]               s_axil_arprot_i,
  input  logic                     s_axil_arvalid_i,
  output logic                     s_axil_arready_o,
  output logic [31:0]              s_axil_rdata_o,
  output logic [1:0]               s_axil_rresp_o,
  output logic                     s_axil_rvalid_o,
  input  logic                     s_axil_rready_i,

  // AXI4 master (DRAM)
  output logic [0:0]               m_axi_awid_o,
  output logic [AddrWidth-1:0]     m_axi_awaddr_o,
  output logic [7:0]               m_axi_awlen_o,
  output logic [2:0]               m_axi_awsize_o,
  output logic [1:0]               m_axi_awburst_o,
  output logic                     m_axi_awlock_o,
  output logic [3:0]               m_axi_awcache_o,
  output logic [2:0]               m_axi_awprot_o,
  output logic [3:0]               m_axi_awqos_o,
  output logic                     m_axi_awvalid_o,
  input  logic                     m_axi_awready_i,
  output logic [DataWidth-1:0]     m_axi_wdata_o,
  output logic [DataWidth/8-1:0]   m_axi_wstrb_o,
  output logic                     m_axi_wlast_o,
  output logic                     m_axi_wvalid_o,
  input  logic                     m_axi_wready_i,
  input  logic [0:0]               m_axi_bid_i,
  input  logic [1:0]               m_axi_bresp_i,
  input  logic                     m_axi_bvalid_i,
  output logic                     m_axi_bready_o,
  output logic [0:0]               m_axi_arid_o,
  output logic [AddrWidth-1:0]     m_axi_araddr_o,
  output logic [7:0]               m_axi_arlen_o,
  output logic [2:0]               m_axi_arsize_o,
  output logic [1:0]               m_axi_arburst_o,
  output logic                     m_axi_arlock_o,
  output logic [3:0]               m_axi_arcache_o,
  output logic [2:0]               m_axi_arprot_o,
  output logic [3:0]               m_axi_arqos_o,
  output logic                     m_axi_arvalid_o,
  input  logic                     m_axi_arready_i,
  input  logic [0:0]               m_axi_rid_i,
  input  logic [DataWidth-1:0]     m_axi_rdata_i,
  input  logic [1:0]               m_axi_rresp_i,
  input  logic                     m_axi_rlast_i,
  input  logic                     m_axi_rvalid_i,
  output logic                     m_axi_rready_o,

  output logic                     irq_o
);

  localparam int MaxVec = 64;
  localparam int CodeW = qsa_pkg::CodeWidth;
  localparam int LenWidth = $clog2(MaxVec + 1);
  localparam int RowWidth = $clog2(VecRows);
  localparam int ARowWidth = $clog2(VecRows / 8);
  localparam int VpfWidth = $clog2(VecRows + 1);
  localparam int CycWidth = $clog2(MaxVec + 1);
  localparam int ActWAddrWidth = $clog2(ActHalfBytes / 8);
  localparam int ActLineWords = 16;   // activation-buffer read: 16 words (128 bytes)
  localparam int OutWAddrWidth = $clog2(OutHalfBytes);
  localparam int OutRAddrWidth = $clog2(OutHalfBytes / 8);
  localparam int NumCnt = qsa_regs_pkg::PERF_NUM_COUNTERS;
  localparam int LaneSumWidth = $clog2(Pes * Lanes + 1);
  localparam int PeCntWidth = $clog2(Pes + 1);
  localparam int MultSumWidth = $clog2(2 * Pes + 1);
  localparam int PpSumWidth = $clog2(2 * Pes * qsa_pkg::MaxK + 1);
  localparam int SlotsWidth = 14 + PeCntWidth;

  // ---------------------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------------------
  logic         csr_start, irq_en, perf_clear, perf_freeze;
  logic [31:0]  model_base, desc_ptr, act_addr0, act_addr1, win_base, win_limit;
  logic [8:0]   desc_count;
  logic [127:0] k_override;
  logic         busy, done;
  logic [3:0]   err;
  logic [7:0]   err_layer, err_cause, layer;
  logic [31:0]  err_addr;
  logic [NumCnt*64-1:0] perf_cnt;

  qsa_axil_csr #(.AddrWidth(AxilAddrWidth)) u_csr (
    .clk_i,
    .rst_ni,
    .s_axil_awaddr_i,
    .s_axil_awprot_i,
    .s_axil_awvalid_i,
    .s_axil_awready_o,
    .s_axil_wdata_i,
    .s_axil_wstrb_i,
    .s_axil_wvalid_i,
    .s_axil_wready_o,
    .s_axil_bresp_o,
    .s_axil_bvalid_o,
    .s_axil_bready_i,
    .s_axil_araddr_i,
    .s_axil_arprot_i,
    .s_axil_arvalid_i,
    .s_axil_arready_o,
    .s_axil_rdata_o,
    .s_axil_rresp_o,
    .s_axil_rvalid_o,
    .s_axil_rready_i,
    .start_o        (csr_start),
    .irq_en_o       (irq_en),
    .model_base_o   (model_base),
    .desc_ptr_o     (desc_ptr),
    .desc_count_o   (desc_count),
    .act_addr0_o    (act_addr0),
    .act_addr1_o    (act_addr1),
    .win_base_o     (win_base),
    .win_limit_o    (win_limit),
    .k_override_o   (k_override),
    .perf_clear_o   (perf_clear),
    .perf_freeze_o  (perf_freeze),
    .busy_i         (busy),
    .done_i         (done),
    .err_i          (err),
    .err_layer_i    (err_layer),
    .err_cause_i    (err_cause),
    .err_addr_i     (err_addr),
    .layer_i        (layer),
    .perf_cnt_i     (perf_cnt),
    .cfg_pes_i      (8'(Pes)),
    .cfg_lanes_i    (8'(Lanes)),
    .cfg_axi_bytes_i(8'(DataWidth / 8)),
    .cfg_act_kib_i  (16'(ActHalfBytes / 1024)),
    .cfg_out_kib_i  (16'(OutHalfBytes / 1024)),
    .irq_o
  );

  logic unused_irq_en;  // the CSR block applies IRQ_EN itself
  assign unused_irq_en = irq_en;

  // ---------------------------------------------------------------------------------------
  // DMA
  // ---------------------------------------------------------------------------------------
  logic        dma_cmd_valid, dma_cmd_ready, dma_cmd_write;
  logic [31:0] dma_cmd_addr;
  logic [23:0] dma_cmd_len;
  logic        dma_done, dma_err, dma_decerr;
  logic [1:0]  dma_err_code;
  logic [31:0] dma_err_addr;
  logic        dma_rd_valid, dma_rd_ready, dma_rd_last;
  logic [63:0] dma_rd_data;
  logic        dma_wr_valid, dma_wr_ready;
  logic [63:0] dma_wr_data;
  logic        beats_rd, beats_wr;

  logic unused_rd_last;  // the sequencer counts its bytes itself
  assign unused_rd_last = dma_rd_last;

  qsa_dma #(
    .AddrWidth(AddrWidth),
    .DataWidth(DataWidth),
    .MaxBurst (MaxBurst),
    .MaxReads (MaxReads),
    .LenWidth (24),
    .IdWidth  (1)
  ) u_dma (
    .clk_i,
    .rst_ni,
    .cmd_valid_i (dma_cmd_valid),
    .cmd_ready_o (dma_cmd_ready),
    .cmd_write_i (dma_cmd_write),
    .cmd_addr_i  (dma_cmd_addr),
    .cmd_len_i   (dma_cmd_len),
    .win_base_i  (win_base),
    .win_limit_i (win_limit),
    .done_o      (dma_done),
    .err_o       (dma_err),
    .err_code_o  (dma_err_code),
    .err_addr_o  (dma_err_addr),
    .err_decerr_o(dma_decerr),
    .rd_valid_o  (dma_rd_valid),
    .rd_ready_i  (dma_rd_ready),
    .rd_data_o   (dma_rd_data),
    .rd_last_o   (dma_rd_last),
    .wr_valid_i  (dma_wr_valid),
    .wr_ready_o  (dma_wr_ready),
    .wr_data_i   (dma_wr_data),
    .beats_rd_o  (beats_rd),
    .beats_wr_o  (beats_wr),
    .m_axi_awid_o,
    .m_axi_awaddr_o,
    .m_axi_awlen_o,
    .m_axi_awsize_o,
    .m_axi_awburst_o,
    .m_axi_awlock_o,
    .m_axi_awcache_o,
    .m_axi_awprot_o,
    .m_axi_awqos_o,
    .m_axi_awvalid_o,
    .m_axi_awready_i,
    .m_axi_wdata_o,
    .m_axi_wstrb_o,
    .m_axi_wlast_o,
    .m_axi_wvalid_o,
    .m_axi_wready_i,
    .m_axi_bid_i,
    .m_axi_bresp_i,
    .m_axi_bvalid_i,
    .m_axi_bready_o,
    .m_axi_arid_o,
    .m_axi_araddr_o,
    .m_axi_arlen_o,
    .m_axi_arsize_o,
    .m_axi_arburst_o,
    .m_axi_arlock_o,
    .m_axi_arcache_o,
    .m_axi_arprot_o,
    .m_axi_arqos_o,
    .m_axi_arvalid_o,
    .m_axi_arready_i,
    .m_axi_rid_i,
    .m_axi_rdata_i,
    .m_axi_rresp_i,
    .m_axi_rlast_i,
    .m_axi_rvalid_i,
    .m_axi_rready_o
  );

  // ---------------------------------------------------------------------------------------
  // Sequencer, buffers and the PE array
  // ---------------------------------------------------------------------------------------
  logic                     ab_we, ab_whalf, ab_re, ab_rhalf;
  logic [ActWAddrWidth-1:0] ab_waddr;
  logic [63:0]              ab_wdata;
  logic [ActWAddrWidth-1:0] ab_raddr;
  logic [ActLineWords*64-1:0] ab_rdata;
  logic                     ob_we, ob_whalf, obr_re, obr_half;
  logic [OutWAddrWidth-1:0] ob_waddr;
  logic [Pes*8-1:0]         ob_wbyte;
  logic [Pes-1:0]           ob_wen;
  logic [OutRAddrWidth-1:0] obr_raddr;
  logic [63:0]              obr_rdata;

  logic                       cfg_chanwise, cfg_paired, cfg_relu, cfg_pool;
  logic [LenWidth-1:0]        cfg_vec_len;
  logic [qsa_pkg::KWidth-1:0] cfg_k;
  logic [4:0]                 cfg_shift;
  logic [3:0]                 cfg_kw, cfg_stride, cfg_pad_t, cfg_pad_l;
  logic [12:0]                cfg_in_h, cfg_in_c, cfg_comp_w, cfg_out_c;
  logic [13:0]                cfg_fan_in;
  logic [VpfWidth-1:0]        cfg_vpc;
  logic [31:0]                cfg_row_bytes, cfg_out_row_bytes;
  logic                       job_start, job_done, job_half, compute_clear;
  logic [12:0]                job_y0, job_y1, job_row_lo, job_ch0;
  logic [2:0]                 job_in_mis, job_out_mis;
  logic [Pes-1:0]             job_active;
  logic                       job_wsel, ld_half, job_row;
  logic [ActWAddrWidth:0]     job_avail;
  logic                       tbl_we, tbl_first;
  logic [RowWidth-1:0]        tbl_row, ld_row;
  logic [CycWidth-1:0]        tbl_cyc;
  logic [Pes-1:0]             ld_code_we, ld_alpha_we, ld_bias_we;
  logic [MaxVec*CodeW-1:0]    ld_codes;
  logic [Pes*ARowWidth-1:0]   ld_arow;
  logic [Pes*8-1:0]           ld_abe;
  logic [Pes*64-1:0]          ld_adata;
  logic [Pes*32-1:0]          ld_bias;

  qsa_seq #(
    .Pes         (Pes),
    .Lanes       (Lanes),
    .VecRows     (VecRows),
    .ActHalfBytes(ActHalfBytes),
    .OutHalfBytes(OutHalfBytes)
  ) u_seq (
    .clk_i,
    .rst_ni,
    .start_i            (csr_start),
    .model_base_i       (model_base),
    .desc_ptr_i         (desc_ptr),
    .desc_count_i       (desc_count),
    .act_addr0_i        (act_addr0),
    .act_addr1_i        (act_addr1),
    .k_override_i       (k_override),
    .busy_o             (busy),
    .done_o             (done),
    .err_o              (err),
    .err_layer_o        (err_layer),
    .err_cause_o        (err_cause),
    .err_addr_o         (err_addr),
    .layer_o            (layer),
    .dma_cmd_valid_o    (dma_cmd_valid),
    .dma_cmd_ready_i    (dma_cmd_ready),
    .dma_cmd_write_o    (dma_cmd_write),
    .dma_cmd_addr_o     (dma_cmd_addr),
    .dma_cmd_len_o      (dma_cmd_len),
    .dma_done_i         (dma_done),
    .dma_err_i          (dma_err),
    .dma_err_code_i     (dma_err_code),
    .dma_err_addr_i     (dma_err_addr),
    .dma_err_decerr_i   (dma_decerr),
    .dma_rd_valid_i     (dma_rd_valid),
    .dma_rd_ready_o     (dma_rd_ready),
    .dma_rd_data_i      (dma_rd_data),
    .dma_wr_valid_o     (dma_wr_valid),
    .dma_wr_ready_i     (dma_wr_ready),
    .dma_wr_data_o      (dma_wr_data),
    .ab_we_o            (ab_we),
    .ab_whalf_o         (ab_whalf),
    .ab_waddr_o         (ab_waddr),
    .ab_wdata_o         (ab_wdata),
    .obr_re_o           (obr_re),
    .obr_half_o         (obr_half),
    .obr_raddr_o        (obr_raddr),
    .obr_rdata_i        (obr_rdata),
    .cfg_chanwise_o     (cfg_chanwise),
    .cfg_vec_len_o      (cfg_vec_len),
    .cfg_paired_o       (cfg_paired),
    .cfg_vpc_o          (cfg_vpc),
    .cfg_k_o            (cfg_k),
    .cfg_shift_o        (cfg_shift),
    .cfg_relu_o         (cfg_relu),
    .cfg_pool_o         (cfg_pool),
    .cfg_kw_o           (cfg_kw),
    .cfg_stride_o       (cfg_stride),
    .cfg_pad_t_o        (cfg_pad_t),
    .cfg_pad_l_o        (cfg_pad_l),
    .cfg_in_h_o         (cfg_in_h),
    .cfg_in_c_o         (cfg_in_c),
    .cfg_fan_in_o       (cfg_fan_in),
    .cfg_comp_w_o       (cfg_comp_w),
    .cfg_out_c_o        (cfg_out_c),
    .cfg_row_bytes_o    (cfg_row_bytes),
    .cfg_out_row_bytes_o(cfg_out_row_bytes),
    .job_start_o        (job_start),
    .job_y0_o           (job_y0),
    .job_y1_o           (job_y1),
    .job_row_lo_o       (job_row_lo),
    .job_in_mis_o       (job_in_mis),
    .job_out_mis_o      (job_out_mis),
    .job_half_o         (job_half),
    .job_ch0_o          (job_ch0),
    .job_active_o       (job_active),
    .job_wsel_o         (job_wsel),
    .job_avail_o        (job_avail),
    .job_done_i         (job_done),
    .job_row_i          (job_row),
    .compute_clear_o    (compute_clear),
    .tbl_we_o           (tbl_we),
    .tbl_first_o        (tbl_first),
    .tbl_row_o          (tbl_row),
    .tbl_cyc_o          (tbl_cyc),
    .ld_code_we_o       (ld_code_we),
    .ld_alpha_we_o      (ld_alpha_we),
    .ld_bias_we_o       (ld_bias_we),
    .ld_row_o           (ld_row),
    .ld_half_o          (ld_half),
    .ld_codes_o         (ld_codes),
    .ld_arow_o          (ld_arow),
    .ld_abe_o           (ld_abe),
    .ld_adata_o         (ld_adata),
    .ld_bias_o          (ld_bias)
  );

  qsa_act_buf #(.HalfBytes(ActHalfBytes), .LineWords(ActLineWords)) u_act_buf (
    .clk_i,
    .rst_ni,
    .we_i   (ab_we),
    .whalf_i(ab_whalf),
    .waddr_i(ab_waddr),
    .wdata_i(ab_wdata),
    .re_i   (ab_re),
    .rhalf_i(ab_rhalf),
    .raddr_i(ab_raddr),
    .rdata_o(ab_rdata)
  );

  logic                    ev_group;
  logic [SlotsWidth-1:0]   ev_slots;
  logic [LaneSumWidth-1:0] ev_lanes, ev_gated;
  logic [MultSumWidth-1:0] ev_mult;
  logic [PpSumWidth-1:0]   ev_pp;

  qsa_compute #(
    .Pes         (Pes),
    .Lanes       (Lanes),
    .VecRows     (VecRows),
    .ActHalfBytes(ActHalfBytes),
    .OutHalfBytes(OutHalfBytes),
    .LineWords   (ActLineWords)
  ) u_compute (
    .clk_i,
    .rst_ni,
    .clear_i            (compute_clear),
    .cfg_chanwise_i     (cfg_chanwise),
    .cfg_vec_len_i      (cfg_vec_len),
    .cfg_paired_i       (cfg_paired),
    .cfg_vpc_i          (cfg_vpc),
    .cfg_k_i            (cfg_k),
    .cfg_shift_i        (cfg_shift),
    .cfg_relu_i         (cfg_relu),
    .cfg_pool_i         (cfg_pool),
    .cfg_kw_i           (cfg_kw),
    .cfg_stride_i       (cfg_stride),
    .cfg_pad_t_i        (cfg_pad_t),
    .cfg_pad_l_i        (cfg_pad_l),
    .cfg_in_h_i         (cfg_in_h),
    .cfg_in_c_i         (cfg_in_c),
    .cfg_fan_in_i       (cfg_fan_in),
    .cfg_comp_w_i       (cfg_comp_w),
    .cfg_out_c_i        (cfg_out_c),
    .cfg_row_bytes_i    (cfg_row_bytes),
    .cfg_out_row_bytes_i(cfg_out_row_bytes),
    .job_start_i        (job_start),
    .job_y0_i           (job_y0),
    .job_y1_i           (job_y1),
    .job_row_lo_i       (job_row_lo),
    .job_in_mis_i       (job_in_mis),
    .job_out_mis_i      (job_out_mis),
    .job_half_i         (job_half),
    .job_ch0_i          (job_ch0),
    .job_active_i       (job_active),
    .job_wsel_i         (job_wsel),
    .job_avail_i        (job_avail),
    .job_done_o         (job_done),
    .job_row_o          (job_row),
    .tbl_we_i           (tbl_we),
    .tbl_first_i        (tbl_first),
    .tbl_row_i          (tbl_row),
    .tbl_cyc_i          (tbl_cyc),
    .ld_code_we_i       (ld_code_we),
    .ld_alpha_we_i      (ld_alpha_we),
    .ld_bias_we_i       (ld_bias_we),
    .ld_row_i           (ld_row),
    .ld_half_i          (ld_half),
    .ld_codes_i         (ld_codes),
    .ld_arow_i          (ld_arow),
    .ld_abe_i           (ld_abe),
    .ld_adata_i         (ld_adata),
    .ld_bias_i          (ld_bias),
    .ab_re_o            (ab_re),
    .ab_half_o          (ab_rhalf),
    .ab_raddr_o         (ab_raddr),
    .ab_rdata_i         (ab_rdata),
    .ob_we_o            (ob_we),
    .ob_half_o          (ob_whalf),
    .ob_waddr_o         (ob_waddr),
    .ob_wbyte_o         (ob_wbyte),
    .ob_wen_o           (ob_wen),
    .ev_group_o         (ev_group),
    .ev_slots_o         (ev_slots),
    .ev_lanes_o         (ev_lanes),
    .ev_gated_o         (ev_gated),
    .ev_mult_o          (ev_mult),
    .ev_pp_o            (ev_pp)
  );

  qsa_out_buf #(.HalfBytes(OutHalfBytes), .WrBytes(Pes)) u_out_buf (
    .clk_i,
    .rst_ni,
    .we_i   (ob_we),
    .whalf_i(ob_whalf),
    .waddr_i(ob_waddr),
    .wbyte_i(ob_wbyte),
    .wen_i  (ob_wen),
    .re_i   (obr_re),
    .rhalf_i(obr_half),
    .raddr_i(obr_raddr),
    .rdata_o(obr_rdata)
  );

  // ---------------------------------------------------------------------------------------
  // Performance counters (docs/architecture.md, "Counters")
  // ---------------------------------------------------------------------------------------
  logic [NumCnt*64-1:0] cnt_d, cnt_q;   // counter i at [64*i +: 64]
  logic [63:0]          macs_nz_d, macs_nz_q;   // MACs with a nonzero code (done + gated)
  logic [NumCnt*64-1:0] inc;            // this cycle's increments

  always_comb begin
    inc = '0;
    inc[qsa_regs_pkg::PERF_CYCLES_IDX*64 +: 64]      = 64'd1;
    inc[qsa_regs_pkg::PERF_BUSY_CYCLES_IDX*64 +: 64] = 64'(busy);
    // a stall: the run is busy but the PE array computes nothing this cycle
    inc[qsa_regs_pkg::PERF_STALL_CYCLES_IDX*64 +: 64] = 64'(busy && !ev_group);
    inc[qsa_regs_pkg::PERF_MAC_SLOTS_IDX*64 +: 64]   = 64'(ev_slots);
    inc[qsa_regs_pkg::PERF_MACS_DONE_IDX*64 +: 64]   = 64'(ev_lanes) - 64'(ev_gated);
    inc[qsa_regs_pkg::PERF_MACS_GATED_IDX*64 +: 64]  = 64'(ev_gated);
    inc[qsa_regs_pkg::PERF_MULTIPLIES_IDX*64 +: 64]  = 64'(ev_mult);
    inc[qsa_regs_pkg::PERF_PARTIAL_PRODUCTS_IDX*64 +: 64] = 64'(ev_pp);
    inc[qsa_regs_pkg::PERF_DRAM_READ_BYTES_IDX*64 +: 64]  = beats_rd ? 64'd8 : 64'd0;
    inc[qsa_regs_pkg::PERF_DRAM_WRITE_BYTES_IDX*64 +: 64] = beats_wr ? 64'd8 : 64'd0;
    // MACS_SKIPPED is derived below (slots minus MACs with a nonzero code)
  end

  for (genvar i = 0; i < NumCnt; i++) begin : g_cnt
    assign cnt_d[i*64 +: 64] = perf_clear  ? 64'd0 :
                               perf_freeze ? cnt_q[i*64 +: 64] :
                               cnt_q[i*64 +: 64] + inc[i*64 +: 64];
  end
  assign macs_nz_d = perf_clear ? 64'd0 : perf_freeze ? macs_nz_q : macs_nz_q + 64'(ev_lanes);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q     <= '0;
      macs_nz_q <= '0;
    end else begin
      cnt_q     <= cnt_d;
      macs_nz_q <= macs_nz_d;
    end
  end

  always_comb begin
    perf_cnt = cnt_q;
    perf_cnt[qsa_regs_pkg::PERF_MACS_SKIPPED_IDX*64 +: 64] =
        cnt_q[qsa_regs_pkg::PERF_MAC_SLOTS_IDX*64 +: 64] - macs_nz_q;
  end

endmodule
