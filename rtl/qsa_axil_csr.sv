// QSA control and status registers: an AXI4-Lite slave (32-bit data) exposing the register map
// described in rtl/regs/qsa_regs.json (docs/registers.md). Offsets, masks, field positions and
// reset values come from the generated package qsa_regs_pkg.
//
// AXI4-Lite: AW and W are captured independently (either order, same or different cycles); the
// write is performed once both are held and no B response is pending, and B is held until
// BREADY. AR is accepted when no R response is pending; R is held until RREADY. WSTRB is
// honoured per byte. Unmapped addresses are answered SLVERR (reads return 0, writes change
// nothing); writes to read-only registers, read-only fields and reserved bits are ignored and
// answered OKAY. Address bits [1:0] and AxPROT are ignored; all other address bits are decoded
// (AddrWidth >= 8 reaches the whole map, 0x000-0x0d7). Reading a counter's LO register latches
// its HI half (at the AR handshake).
//
// The datapath owns the run state and the performance counters: this block passes the control
// registers out, records done/error pulses (sticky status, interrupt causes, first-error
// capture) and exposes the 64-bit counters as LO/HI pairs (reading LO latches HI).
module qsa_axil_csr #(
  parameter int AddrWidth = 12,
  localparam int NumCnt = qsa_regs_pkg::PERF_NUM_COUNTERS,
  localparam int CntWidth = qsa_regs_pkg::PERF_COUNTER_WIDTH,
  localparam int NumKOvr = qsa_regs_pkg::REG_K_OVERRIDE_COUNT,
  localparam int ErrBits = qsa_regs_pkg::REG_ERR_STATUS_USED_BITS
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  // AXI4-Lite slave
  input  logic [AddrWidth-1:0] s_axil_awaddr_i,
  input  logic [2:0]           s_axil_awprot_i,
  input  logic                 s_axil_awvalid_i,
  output logic                 s_axil_awready_o,
  input  logic [31:0]          s_axil_wdata_i,
  input  logic [3:0]           s_axil_wstrb_i,
  input  logic                 s_axil_wvalid_i,
  output logic                 s_axil_wready_o,
  output logic [1:0]           s_axil_bresp_o,
  output logic                 s_axil_bvalid_o,
  input  logic                 s_axil_bready_i,
  input  logic [AddrWidth-1:0] s_axil_araddr_i,
  input  logic [2:0]           s_axil_arprot_i,
  input  logic                 s_axil_arvalid_i,
  output logic                 s_axil_arready_o,
  output logic [31:0]          s_axil_rdata_o,
  output logic [1:0]           s_axil_rresp_o,
  output logic                 s_axil_rvalid_o,
  input  logic                 s_axil_rready_i,

  // To the datapath
  output logic                 start_o,        // CTRL.START accepted (not BUSY): one-cycle pulse
  output logic                 irq_en_o,       // CTRL.IRQ_EN
  output logic [31:0]          model_base_o,   // MODEL_BASE (bits [2:0] are 0, as in all addresses)
  output logic [31:0]          desc_ptr_o,     // DESC_PTR
  output logic [qsa_regs_pkg::DESC_COUNT_COUNT_WIDTH-1:0] desc_count_o,  // DESC_COUNT.COUNT
  output logic [31:0]          act_addr0_o,    // ACT_ADDR0
  output logic [31:0]          act_addr1_o,    // ACT_ADDR1
  output logic [31:0]          win_base_o,     // WIN_BASE
  output logic [31:0]          win_limit_o,    // WIN_LIMIT (exclusive)
  output logic [NumKOvr*32-1:0] k_override_o,  // K_OVERRIDE0..3; layer j at [4*j +: 4]
  output logic                 perf_clear_o,   // PERF_CTRL.CLEAR: one-cycle pulse
  output logic                 perf_freeze_o,  // PERF_CTRL.FREEZE

  // From the datapath
  input  logic                 busy_i,         // STATUS.BUSY
  input  logic                 done_i,         // pulse: the run has ended
  input  logic [ErrBits-1:0]   err_i,          // pulses, bit n = ERR_STATUS bit n
  input  logic [qsa_regs_pkg::ERR_INFO_LAYER_WIDTH-1:0] err_layer_i,  // with err_i
  input  logic [qsa_regs_pkg::ERR_INFO_CAUSE_WIDTH-1:0] err_cause_i,  // with err_i (ERR_CAUSE_*)
  input  logic [31:0]          err_addr_i,     // with err_i
  input  logic [qsa_regs_pkg::STATUS_LAYER_WIDTH-1:0] layer_i,  // STATUS.LAYER
  input  logic [NumCnt*CntWidth-1:0] perf_cnt_i,  // counter i (PERF_*_IDX) at [64*i +: 64]

  // Build configuration (tied to qsa_top's parameters)
  input  logic [qsa_regs_pkg::CONFIG_PES_WIDTH-1:0]        cfg_pes_i,
  input  logic [qsa_regs_pkg::CONFIG_LANES_WIDTH-1:0]      cfg_lanes_i,
  input  logic [qsa_regs_pkg::CONFIG_AXI_BYTES_WIDTH-1:0]  cfg_axi_bytes_i,
  input  logic [qsa_regs_pkg::BUF_CONFIG_ACT_KIB_WIDTH-1:0] cfg_act_kib_i,
  input  logic [qsa_regs_pkg::BUF_CONFIG_OUT_KIB_WIDTH-1:0] cfg_out_kib_i,

  output logic                 irq_o           // CTRL.IRQ_EN & |(IRQ_STATUS & IRQ_ENABLE)
);

  localparam int WordWidth = AddrWidth - 2;
  localparam int CmpWidth = (AddrWidth > 12) ? AddrWidth : 12;  // address compare width
  localparam logic [1:0] RESP_OKAY = 2'b00;
  localparam logic [1:0] RESP_SLVERR = 2'b10;

  // A package offset (12 bits) at the address compare width.
  function automatic logic [CmpWidth-1:0] addr_of(input logic [11:0] offset);
    addr_of = CmpWidth'(offset);
  endfunction

  // Whether an (aligned) address maps to a register of the generated table.
  // One bit per word of the 4 KiB register space, set for the words of the generated table (a
  // constant); an address maps when it lies in that space and its word's bit is set. A lookup
  // rather than a comparison per register: a simulator does one select, synthesis makes the
  // same small decoder. The address is taken apart by shifts (Icarus 11: no constant selects
  // in a function called from always_comb).
  localparam int MapWords = 1024;
  function automatic logic [MapWords-1:0] map_table();
    logic [MapWords-1:0] t;
    t = '0;
    for (int i = 0; i < qsa_regs_pkg::REG_COUNT; i++) begin
      t[qsa_regs_pkg::REG_TABLE_OFFSET[i*12+2 +: 10]] = 1'b1;
    end
    map_table = t;
  endfunction
  localparam logic [MapWords-1:0] MapTable = map_table();

  function automatic logic mapped(input logic [CmpWidth-1:0] addr);
    mapped = ((addr >> 12) == '0) && (2'(addr) == 2'b00) && MapTable[10'(addr >> 2)];
  endfunction

  // WSTRB as a bit mask.
  function automatic logic [31:0] strb_mask(input logic [3:0] strb);
    for (int b = 0; b < 4; b++) strb_mask[b*8 +: 8] = {8{strb[b]}};
  endfunction

  // Read/write bits: take the bits of mask from data, keep the others.
  function automatic logic [31:0] rw_next(input logic [31:0] cur, input logic [31:0] data,
                                          input logic [31:0] mask);
    rw_next = (cur & ~mask) | (data & mask);
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Write channel
  logic                 aw_full_q, aw_full_d;
  logic [WordWidth-1:0] aw_word_q, aw_word_d;
  logic                 w_full_q, w_full_d;
  logic [31:0]          w_data_q, w_data_d;
  logic [3:0]           w_strb_q, w_strb_d;
  logic                 b_valid_q, b_valid_d;
  logic [1:0]           b_resp_q, b_resp_d;
  logic [WordWidth-1:0] aw_word_in;
  logic [CmpWidth-1:0]  wr_addr;    // held write address, bits [1:0] cleared
  logic                 wr_en;      // perform the held write this cycle
  logic [31:0]          wr_bytes;   // strobed bits of the held write
  logic [31:0]          wr_ones;    // strobed bits written as 1

  assign aw_word_in       = s_axil_awaddr_i[AddrWidth-1:2];
  assign wr_addr          = CmpWidth'({aw_word_q, 2'b00});
  assign s_axil_awready_o = ~aw_full_q;
  assign s_axil_wready_o  = ~w_full_q;
  assign s_axil_bvalid_o  = b_valid_q;
  assign s_axil_bresp_o   = b_resp_q;
  assign wr_en            = aw_full_q & w_full_q & ~b_valid_q;
  assign wr_bytes         = strb_mask(w_strb_q);
  assign wr_ones          = w_data_q & wr_bytes;

  always_comb begin
    aw_full_d = aw_full_q;
    aw_word_d = aw_word_q;
    w_full_d  = w_full_q;
    w_data_d  = w_data_q;
    w_strb_d  = w_strb_q;
    b_valid_d = b_valid_q;
    b_resp_d  = b_resp_q;
    if (s_axil_awvalid_i && !aw_full_q) begin
      aw_full_d = 1'b1;
      aw_word_d = aw_word_in;
    end
    if (s_axil_wvalid_i && !w_full_q) begin
      w_full_d = 1'b1;
      w_data_d = s_axil_wdata_i;
      w_strb_d = s_axil_wstrb_i;
    end
    if (b_valid_q && s_axil_bready_i) b_valid_d = 1'b0;
    if (wr_en) begin
      aw_full_d = 1'b0;
      w_full_d  = 1'b0;
      b_valid_d = 1'b1;
      b_resp_d  = mapped(wr_addr) ? RESP_OKAY : RESP_SLVERR;
    end
  end

  // Write strobes per register.
  logic               wr_ctrl, wr_irq_status, wr_irq_enable, wr_err_status;
  logic               wr_model_base, wr_desc_ptr, wr_desc_count, wr_act_addr0, wr_act_addr1;
  logic               wr_win_base, wr_win_limit, wr_perf_ctrl;
  logic [NumKOvr-1:0] wr_k_ovr;

  assign wr_ctrl       = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_CTRL_OFFSET));
  assign wr_irq_status = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET));
  assign wr_irq_enable = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_IRQ_ENABLE_OFFSET));
  assign wr_err_status = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_ERR_STATUS_OFFSET));
  assign wr_model_base = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_MODEL_BASE_OFFSET));
  assign wr_desc_ptr   = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_DESC_PTR_OFFSET));
  assign wr_desc_count = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_DESC_COUNT_OFFSET));
  assign wr_act_addr0  = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_ACT_ADDR0_OFFSET));
  assign wr_act_addr1  = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_ACT_ADDR1_OFFSET));
  assign wr_win_base   = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_WIN_BASE_OFFSET));
  assign wr_win_limit  = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_WIN_LIMIT_OFFSET));
  assign wr_perf_ctrl  = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_PERF_CTRL_OFFSET));

  always_comb begin
    for (int r = 0; r < NumKOvr; r++) begin
      wr_k_ovr[r] = wr_en & (wr_addr == addr_of(qsa_regs_pkg::REG_K_OVERRIDE_BASE_OFFSET +
                                                  12'(r * qsa_regs_pkg::REG_K_OVERRIDE_STRIDE)));
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Registers
  logic [31:0]          ctrl_q, ctrl_d;
  logic [31:0]          irq_status_q, irq_status_d;
  logic [31:0]          irq_enable_q, irq_enable_d;
  logic [31:0]          err_status_q, err_status_d;
  logic [31:0]          err_info_q, err_info_d;
  logic [31:0]          err_addr_q, err_addr_d;
  logic [31:0]          model_base_q, model_base_d;
  logic [31:0]          desc_ptr_q, desc_ptr_d;
  logic [31:0]          desc_count_q, desc_count_d;
  logic [31:0]          act_addr0_q, act_addr0_d;
  logic [31:0]          act_addr1_q, act_addr1_d;
  logic [31:0]          win_base_q, win_base_d;
  logic [31:0]          win_limit_q, win_limit_d;
  logic [NumKOvr*32-1:0] k_ovr_q, k_ovr_d;
  logic [31:0]          perf_ctrl_q, perf_ctrl_d;
  logic                 done_q, done_d;        // STATUS.DONE
  logic                 error_q, error_d;      // STATUS.ERROR
  logic                 start_q, start_d;      // start_o
  logic                 perf_clear_q, perf_clear_d;
  logic                 clear_errors;          // CTRL.CLEAR_ERRORS written 1
  logic [31:0]          irq_clr, err_clr;
  logic [31:0]          err_set, err_info_in;
  logic                 err_any;

  assign err_any     = |err_i;
  assign err_set     = 32'(err_i) & qsa_regs_pkg::REG_ERR_STATUS_W1C_MASK;
  assign err_info_in = (32'(err_layer_i) << qsa_regs_pkg::ERR_INFO_LAYER_LSB) |
                       (32'(err_cause_i) << qsa_regs_pkg::ERR_INFO_CAUSE_LSB);

  always_comb begin
    // Plain read/write registers (WSTRB honoured, ro and reserved bits kept at their reset 0),
    // written only in a write cycle (wr_en).
    ctrl_d       = ctrl_q;
    irq_enable_d = irq_enable_q;
    model_base_d = model_base_q;
    desc_ptr_d   = desc_ptr_q;
    desc_count_d = desc_count_q;
    act_addr0_d  = act_addr0_q;
    act_addr1_d  = act_addr1_q;
    win_base_d   = win_base_q;
    win_limit_d  = win_limit_q;
    perf_ctrl_d  = perf_ctrl_q;
    k_ovr_d      = k_ovr_q;
    if (wr_en) begin
      ctrl_d       = rw_next(ctrl_q, w_data_q,
          wr_ctrl ? wr_bytes & qsa_regs_pkg::REG_CTRL_RW_MASK : 32'h0);
      irq_enable_d = rw_next(irq_enable_q, w_data_q,
          wr_irq_enable ? wr_bytes & qsa_regs_pkg::REG_IRQ_ENABLE_RW_MASK : 32'h0);
      model_base_d = rw_next(model_base_q, w_data_q,
          wr_model_base ? wr_bytes & qsa_regs_pkg::REG_MODEL_BASE_RW_MASK : 32'h0);
      desc_ptr_d   = rw_next(desc_ptr_q, w_data_q,
          wr_desc_ptr ? wr_bytes & qsa_regs_pkg::REG_DESC_PTR_RW_MASK : 32'h0);
      desc_count_d = rw_next(desc_count_q, w_data_q,
          wr_desc_count ? wr_bytes & qsa_regs_pkg::REG_DESC_COUNT_RW_MASK : 32'h0);
      act_addr0_d  = rw_next(act_addr0_q, w_data_q,
          wr_act_addr0 ? wr_bytes & qsa_regs_pkg::REG_ACT_ADDR0_RW_MASK : 32'h0);
      act_addr1_d  = rw_next(act_addr1_q, w_data_q,
          wr_act_addr1 ? wr_bytes & qsa_regs_pkg::REG_ACT_ADDR1_RW_MASK : 32'h0);
      win_base_d   = rw_next(win_base_q, w_data_q,
          wr_win_base ? wr_bytes & qsa_regs_pkg::REG_WIN_BASE_RW_MASK : 32'h0);
      win_limit_d  = rw_next(win_limit_q, w_data_q,
          wr_win_limit ? wr_bytes & qsa_regs_pkg::REG_WIN_LIMIT_RW_MASK : 32'h0);
      perf_ctrl_d  = rw_next(perf_ctrl_q, w_data_q,
          wr_perf_ctrl ? wr_bytes & qsa_regs_pkg::REG_PERF_CTRL_RW_MASK : 32'h0);
      for (int r = 0; r < NumKOvr; r++) begin
        k_ovr_d[r*32 +: 32] = rw_next(k_ovr_q[r*32 +: 32], w_data_q,
            wr_k_ovr[r] ? wr_bytes & qsa_regs_pkg::REG_K_OVERRIDE0_RW_MASK : 32'h0);
      end
    end

    // Pulses (w1s): START is accepted only when the datapath is idle.
    start_d      = wr_ctrl & ~busy_i & (|(wr_ones & qsa_regs_pkg::CTRL_START_MASK));
    clear_errors = wr_ctrl & (|(wr_ones & qsa_regs_pkg::CTRL_CLEAR_ERRORS_MASK));
    perf_clear_d = wr_perf_ctrl & (|(wr_ones & qsa_regs_pkg::PERF_CTRL_CLEAR_MASK));

    // STATUS.DONE / STATUS.ERROR: sticky, cleared by an accepted START (which wins over a
    // simultaneous pulse, since that pulse belongs to the previous run).
    done_d  = done_q | done_i;
    error_d = (error_q & ~clear_errors) | err_any;
    if (start_d) begin
      done_d  = 1'b0;
      error_d = 1'b0;
    end

    // IRQ_STATUS (w1c): a hardware set wins over a simultaneous clear.
    irq_clr = wr_irq_status ? wr_ones & qsa_regs_pkg::REG_IRQ_STATUS_W1C_MASK : 32'h0;
    if (clear_errors) irq_clr = irq_clr | qsa_regs_pkg::IRQ_STATUS_ERROR_MASK;
    irq_status_d = irq_status_q & ~irq_clr;
    if (done_i)  irq_status_d = irq_status_d | qsa_regs_pkg::IRQ_STATUS_DONE_MASK;
    if (err_any) irq_status_d = irq_status_d | qsa_regs_pkg::IRQ_STATUS_ERROR_MASK;

    // ERR_STATUS (w1c) and the first-error capture in ERR_INFO / ERR_ADDR.
    err_clr = wr_err_status ? wr_ones & qsa_regs_pkg::REG_ERR_STATUS_W1C_MASK : 32'h0;
    if (clear_errors) err_clr = 32'hffff_ffff;
    err_status_d = (err_status_q & ~err_clr) | err_set;
    err_info_d   = clear_errors ? 32'h0 : err_info_q;
    err_addr_d   = clear_errors ? 32'h0 : err_addr_q;
    if (err_any && ((err_status_q & ~err_clr) == 32'h0)) begin
      err_info_d = err_info_in;
      err_addr_d = err_addr_i;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Read channel
  logic                 r_valid_q, r_valid_d;
  logic [31:0]          r_data_q, r_data_d;
  logic [1:0]           r_resp_q, r_resp_d;
  logic [NumCnt*32-1:0] cnt_hi_q, cnt_hi_d;   // latched counter bits [63:32]
  logic [WordWidth-1:0] ar_word;
  logic [CmpWidth-1:0]  rd_addr;    // read address, bits [1:0] cleared
  logic                 ar_hs;
  logic [31:0]          rd_data;
  logic [31:0]          status_val, config_val, buf_config_val;

  assign ar_word          = s_axil_araddr_i[AddrWidth-1:2];
  assign rd_addr          = CmpWidth'({ar_word, 2'b00});
  assign ar_hs            = s_axil_arvalid_i & ~r_valid_q;
  assign s_axil_arready_o = ~r_valid_q;
  assign s_axil_rvalid_o  = r_valid_q;
  assign s_axil_rdata_o   = r_data_q;
  assign s_axil_rresp_o   = r_resp_q;

  assign status_val = (32'(busy_i)  << qsa_regs_pkg::STATUS_BUSY_LSB) |
                      (32'(done_q)  << qsa_regs_pkg::STATUS_DONE_LSB) |
                      (32'(error_q) << qsa_regs_pkg::STATUS_ERROR_LSB) |
                      (32'(layer_i) << qsa_regs_pkg::STATUS_LAYER_LSB);
  assign config_val = (32'(cfg_pes_i)       << qsa_regs_pkg::CONFIG_PES_LSB) |
                      (32'(cfg_lanes_i)     << qsa_regs_pkg::CONFIG_LANES_LSB) |
                      (32'(cfg_axi_bytes_i) << qsa_regs_pkg::CONFIG_AXI_BYTES_LSB);
  assign buf_config_val = (32'(cfg_act_kib_i) << qsa_regs_pkg::BUF_CONFIG_ACT_KIB_LSB) |
                          (32'(cfg_out_kib_i) << qsa_regs_pkg::BUF_CONFIG_OUT_KIB_LSB);

  // The read mux, evaluated only in a read cycle (ar_hs).
  always_comb begin
    rd_data  = 32'h0;
    cnt_hi_d = cnt_hi_q;
    if (ar_hs) begin
      if (rd_addr == addr_of(qsa_regs_pkg::REG_ID_OFFSET))      rd_data = qsa_regs_pkg::REG_ID_RESET;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_VERSION_OFFSET)) rd_data = qsa_regs_pkg::REG_VERSION_RESET;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_CONFIG_OFFSET))     rd_data = config_val;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_BUF_CONFIG_OFFSET)) rd_data = buf_config_val;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_CTRL_OFFSET))       rd_data = ctrl_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_STATUS_OFFSET))     rd_data = status_val;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET)) rd_data = irq_status_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_IRQ_ENABLE_OFFSET)) rd_data = irq_enable_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_ERR_STATUS_OFFSET)) rd_data = err_status_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_ERR_INFO_OFFSET))   rd_data = err_info_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_ERR_ADDR_OFFSET))   rd_data = err_addr_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_MODEL_BASE_OFFSET)) rd_data = model_base_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_DESC_PTR_OFFSET))   rd_data = desc_ptr_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_DESC_COUNT_OFFSET)) rd_data = desc_count_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_ACT_ADDR0_OFFSET))  rd_data = act_addr0_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_ACT_ADDR1_OFFSET))  rd_data = act_addr1_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_WIN_BASE_OFFSET))   rd_data = win_base_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_WIN_LIMIT_OFFSET))  rd_data = win_limit_q;
      if (rd_addr == addr_of(qsa_regs_pkg::REG_PERF_CTRL_OFFSET))  rd_data = perf_ctrl_q;
      for (int r = 0; r < NumKOvr; r++) begin
        if (rd_addr == addr_of(qsa_regs_pkg::REG_K_OVERRIDE_BASE_OFFSET +
                               12'(r * qsa_regs_pkg::REG_K_OVERRIDE_STRIDE))) begin
          rd_data = k_ovr_q[r*32 +: 32];
        end
      end
      // Counter i: LO at REG_PERF_BASE_OFFSET + 8 i returns bits [31:0] and latches [63:32];
      // HI at + 4 returns the latch.
      for (int i = 0; i < NumCnt; i++) begin
        if (rd_addr == addr_of(qsa_regs_pkg::REG_PERF_BASE_OFFSET + 12'(8 * i))) begin
          rd_data = perf_cnt_i[i*CntWidth +: 32];
          cnt_hi_d[i*32 +: 32] = perf_cnt_i[i*CntWidth+32 +: 32];
        end
        if (rd_addr == addr_of(qsa_regs_pkg::REG_PERF_BASE_OFFSET + 12'(8 * i + 4))) begin
          rd_data = cnt_hi_q[i*32 +: 32];
        end
      end
    end
  end

  always_comb begin
    r_valid_d = r_valid_q;
    r_data_d  = r_data_q;
    r_resp_d  = r_resp_q;
    if (r_valid_q && s_axil_rready_i) r_valid_d = 1'b0;
    if (ar_hs) begin
      r_valid_d = 1'b1;
      if (mapped(rd_addr)) begin
        r_data_d = rd_data;
        r_resp_d = RESP_OKAY;
      end else begin
        r_data_d = 32'h0;
        r_resp_d = RESP_SLVERR;
      end
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Outputs
  assign start_o       = start_q;
  assign irq_en_o      = |(ctrl_q & qsa_regs_pkg::CTRL_IRQ_EN_MASK);
  assign model_base_o  = model_base_q;
  assign desc_ptr_o    = desc_ptr_q;
  assign desc_count_o  = desc_count_q[qsa_regs_pkg::DESC_COUNT_COUNT_WIDTH-1:0];
  assign act_addr0_o   = act_addr0_q;
  assign act_addr1_o   = act_addr1_q;
  assign win_base_o    = win_base_q;
  assign win_limit_o   = win_limit_q;
  assign k_override_o  = k_ovr_q;
  assign perf_clear_o  = perf_clear_q;
  assign perf_freeze_o = |(perf_ctrl_q & qsa_regs_pkg::PERF_CTRL_FREEZE_MASK);
  assign irq_o         = irq_en_o & (|(irq_status_q & irq_enable_q));

  // AxPROT and the byte-offset address bits are not used.
  logic unused_axil;
  assign unused_axil = ^{s_axil_awprot_i, s_axil_arprot_i, s_axil_awaddr_i[1:0],
                         s_axil_araddr_i[1:0]};

  // ---------------------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_full_q    <= 1'b0;
      aw_word_q    <= '0;
      w_full_q     <= 1'b0;
      w_data_q     <= 32'h0;
      w_strb_q     <= 4'h0;
      b_valid_q    <= 1'b0;
      b_resp_q     <= RESP_OKAY;
      r_valid_q    <= 1'b0;
      r_data_q     <= 32'h0;
      r_resp_q     <= RESP_OKAY;
      ctrl_q       <= qsa_regs_pkg::REG_CTRL_RESET;
      irq_status_q <= qsa_regs_pkg::REG_IRQ_STATUS_RESET;
      irq_enable_q <= qsa_regs_pkg::REG_IRQ_ENABLE_RESET;
      err_status_q <= qsa_regs_pkg::REG_ERR_STATUS_RESET;
      err_info_q   <= qsa_regs_pkg::REG_ERR_INFO_RESET;
      err_addr_q   <= qsa_regs_pkg::REG_ERR_ADDR_RESET;
      model_base_q <= qsa_regs_pkg::REG_MODEL_BASE_RESET;
      desc_ptr_q   <= qsa_regs_pkg::REG_DESC_PTR_RESET;
      desc_count_q <= qsa_regs_pkg::REG_DESC_COUNT_RESET;
      act_addr0_q  <= qsa_regs_pkg::REG_ACT_ADDR0_RESET;
      act_addr1_q  <= qsa_regs_pkg::REG_ACT_ADDR1_RESET;
      win_base_q   <= qsa_regs_pkg::REG_WIN_BASE_RESET;
      win_limit_q  <= qsa_regs_pkg::REG_WIN_LIMIT_RESET;
      k_ovr_q      <= {NumKOvr{qsa_regs_pkg::REG_K_OVERRIDE0_RESET}};
      perf_ctrl_q  <= qsa_regs_pkg::REG_PERF_CTRL_RESET;
      done_q       <= 1'b0;
      error_q      <= 1'b0;
      start_q      <= 1'b0;
      perf_clear_q <= 1'b0;
      cnt_hi_q     <= '0;
    end else begin
      aw_full_q    <= aw_full_d;
      aw_word_q    <= aw_word_d;
      w_full_q     <= w_full_d;
      w_data_q     <= w_data_d;
      w_strb_q     <= w_strb_d;
      b_valid_q    <= b_valid_d;
      b_resp_q     <= b_resp_d;
      r_valid_q    <= r_valid_d;
      r_data_q     <= r_data_d;
      r_resp_q     <= r_resp_d;
      ctrl_q       <= ctrl_d;
      irq_status_q <= irq_status_d;
      irq_enable_q <= irq_enable_d;
      err_status_q <= err_status_d;
      err_info_q   <= err_info_d;
      err_addr_q   <= err_addr_d;
      model_base_q <= model_base_d;
      desc_ptr_q   <= desc_ptr_d;
      desc_count_q <= desc_count_d;
      act_addr0_q  <= act_addr0_d;
      act_addr1_q  <= act_addr1_d;
      win_base_q   <= win_base_d;
      win_limit_q  <= win_limit_d;
      k_ovr_q      <= k_ovr_d;
      perf_ctrl_q  <= perf_ctrl_d;
      done_q       <= done_d;
      error_q      <= error_d;
      start_q      <= start_d;
      perf_clear_q <= perf_clear_d;
      cnt_hi_q     <= cnt_hi_d;
    end
  end

endmodule
