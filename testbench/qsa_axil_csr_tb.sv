// Self-checking testbench for qsa_axil_csr, for Icarus (iverilog -g2012) and Verilator (--binary
// --timing). An AXI4-Lite master BFM (one process, fed by the tasks post/wr/rd/expect_reg) drives
// the DUT; expected values come from the generated package qsa_regs_pkg (its register tables),
// so new registers are covered by the generic checks automatically.
//
// Timing: the BFM drives inputs with blocking assignments just after a falling edge, waits #1 for
// the DUT's combinational outputs, samples them, and a handshake completes on the rising edge
// in between. Monitors sample on the rising edge. Back-pressure (BREADY/RREADY), the AW/W order
// and the gaps between them come from a 32-bit LFSR with a fixed seed.
module qsa_axil_csr_tb;

  localparam int AddrWidth = 12;
  localparam int NumRegs = qsa_regs_pkg::REG_COUNT;
  localparam int NumCnt = qsa_regs_pkg::PERF_NUM_COUNTERS;
  localparam int NumKOvr = qsa_regs_pkg::REG_K_OVERRIDE_COUNT;
  localparam int NameBits = 8 * qsa_regs_pkg::REG_NAME_CHARS;
  localparam logic [1:0] RESP_OKAY = 2'b00;
  localparam logic [1:0] RESP_SLVERR = 2'b10;
  localparam int Timeout = 64;  // cycles any single handshake may take

  // -----------------------------------------------------------------------------------------
  // Clock, reset, DUT
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic [AddrWidth-1:0] awaddr = '0, araddr = '0;
  logic [2:0]  awprot = 3'b000, arprot = 3'b000;
  logic        awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
  logic [31:0] wdata = '0;
  logic [3:0]  wstrb = '0;
  logic        awready, wready, bvalid, arready, rvalid;
  logic [1:0]  bresp, rresp;
  logic [31:0] rdata;

  logic        start, irq_en, perf_clear, perf_freeze, irq;
  logic [31:0] model_base, desc_ptr, act_addr0, act_addr1, win_base, win_limit;
  logic [qsa_regs_pkg::DESC_COUNT_COUNT_WIDTH-1:0] desc_count;
  logic [NumKOvr*32-1:0] k_override;

  logic        busy = 1'b0, done = 1'b0;
  logic [qsa_regs_pkg::REG_ERR_STATUS_USED_BITS-1:0] err = '0;
  logic [7:0]  err_layer = '0, err_cause = '0, layer = '0;
  logic [31:0] err_addr = '0;
  logic [NumCnt*64-1:0] cnt_static = '0;  // counter values set by the test
  logic [63:0] cnt_run = '0;              // a running counter, replaces counter 0 when enabled
  logic        cnt_running = 1'b0;
  logic [NumCnt*64-1:0] perf_cnt;
  logic [7:0]  cfg_pes = qsa_regs_pkg::CONFIG_PES_RESET;
  logic [7:0]  cfg_lanes = qsa_regs_pkg::CONFIG_LANES_RESET;
  logic [7:0]  cfg_axi_bytes = qsa_regs_pkg::CONFIG_AXI_BYTES_RESET;
  logic [15:0] cfg_act_kib = qsa_regs_pkg::BUF_CONFIG_ACT_KIB_RESET;
  logic [15:0] cfg_out_kib = qsa_regs_pkg::BUF_CONFIG_OUT_KIB_RESET;

  always @(posedge clk) if (cnt_running) cnt_run <= cnt_run + 64'd1;
  assign perf_cnt = cnt_running ? {cnt_static[NumCnt*64-1:64], cnt_run} : cnt_static;

  qsa_axil_csr #(.AddrWidth(AddrWidth)) dut (
    .clk_i(clk), .rst_ni(rst_n),
    .s_axil_awaddr_i(awaddr), .s_axil_awprot_i(awprot), .s_axil_awvalid_i(awvalid),
    .s_axil_awready_o(awready),
    .s_axil_wdata_i(wdata), .s_axil_wstrb_i(wstrb), .s_axil_wvalid_i(wvalid),
    .s_axil_wready_o(wready),
    .s_axil_bresp_o(bresp), .s_axil_bvalid_o(bvalid), .s_axil_bready_i(bready),
    .s_axil_araddr_i(araddr), .s_axil_arprot_i(arprot), .s_axil_arvalid_i(arvalid),
    .s_axil_arready_o(arready),
    .s_axil_rdata_o(rdata), .s_axil_rresp_o(rresp), .s_axil_rvalid_o(rvalid),
    .s_axil_rready_i(rready),
    .start_o(start), .irq_en_o(irq_en), .model_base_o(model_base), .desc_ptr_o(desc_ptr),
    .desc_count_o(desc_count), .act_addr0_o(act_addr0), .act_addr1_o(act_addr1),
    .win_base_o(win_base), .win_limit_o(win_limit), .k_override_o(k_override),
    .perf_clear_o(perf_clear), .perf_freeze_o(perf_freeze),
    .busy_i(busy), .done_i(done), .err_i(err), .err_layer_i(err_layer),
    .err_cause_i(err_cause), .err_addr_i(err_addr), .layer_i(layer), .perf_cnt_i(perf_cnt),
    .cfg_pes_i(cfg_pes), .cfg_lanes_i(cfg_lanes), .cfg_axi_bytes_i(cfg_axi_bytes),
    .cfg_act_kib_i(cfg_act_kib), .cfg_out_kib_i(cfg_out_kib),
    .irq_o(irq)
  );

  // -----------------------------------------------------------------------------------------
  // Bookkeeping. Loops around bus transactions count to these variables rather than to the
  // constants: Verilator inlines tasks and unrolls constant loops, which multiplies the code.
  int n_regs = NumRegs;
  int n_cnt = NumCnt;
  int n_kovr = NumKOvr;
  int n_layers = qsa_regs_pkg::K_OVERRIDE_LAYERS;
  int n_steps = 10;   // writes per rw register
  int n_orders = 3;   // AW/W orders
  int n_gaps = 5;     // AW/W gaps 0..4
  int n_checks = 0;
  int n_writes = 0;
  int n_reads = 0;
  int n_start = 0;        // start_o pulses seen
  int n_perf_clear = 0;   // perf_clear_o pulses seen
  logic [31:0] lfsr = 32'h1bad_5eed;  // fixed seed
  logic in_write = 1'b0;  // the BFM has not yet completed both AW and W of the current write

  task automatic rand32(output logic [31:0] v);
    // Galois LFSR, x^32 + x^22 + x^2 + x + 1; eight steps per draw.
    for (int s = 0; s < 8; s++) lfsr = (lfsr >> 1) ^ (lfsr[0] ? 32'h8020_0003 : 32'h0);
    v = lfsr;
  endtask

  // Name of register i of the package's tables, without its padding.
  function automatic string reg_name(input int i);
    logic [NameBits-1:0] b;
    b = qsa_regs_pkg::REG_TABLE_NAME[i*NameBits +: NameBits];
    reg_name = "";
    for (int c = qsa_regs_pkg::REG_NAME_CHARS - 1; c >= 0; c--)
      if (b[c*8 +: 8] != 8'h20) reg_name = $sformatf("%s%c", reg_name, b[c*8 +: 8]);
  endfunction

  task automatic check(input logic ok, input string what);
    n_checks++;
    if (!ok) $fatal(1, "qsa_axil_csr_tb: FAIL at %0t: %s", $time, what);
  endtask

  // -----------------------------------------------------------------------------------------
  // Monitors (rising edge): responses are held until accepted; pulses last one cycle; B never
  // precedes the write's AW and W.
  logic        mon_b_hold = 1'b0, mon_r_hold = 1'b0, mon_start = 1'b0, mon_clear = 1'b0;
  logic [1:0]  mon_bresp = '0, mon_rresp = '0;
  logic [31:0] mon_rdata = '0;
  always @(posedge clk) begin
    if (rst_n) begin
      if (mon_b_hold && !(bvalid && bresp == mon_bresp))
        $fatal(1, "qsa_axil_csr_tb: B dropped or changed before BREADY at %0t", $time);
      if (mon_r_hold && !(rvalid && rresp == mon_rresp && rdata == mon_rdata))
        $fatal(1, "qsa_axil_csr_tb: R dropped or changed before RREADY at %0t", $time);
      if (bvalid && in_write)
        $fatal(1, "qsa_axil_csr_tb: BVALID before the write's AW and W at %0t", $time);
      if (start && mon_start) $fatal(1, "qsa_axil_csr_tb: start_o longer than one cycle");
      if (perf_clear && mon_clear) $fatal(1, "qsa_axil_csr_tb: perf_clear_o longer than one cycle");
      if (start) n_start++;
      if (perf_clear) n_perf_clear++;
    end
    mon_b_hold = bvalid && !bready;
    mon_bresp  = bresp;
    mon_r_hold = rvalid && !rready;
    mon_rresp  = rresp;
    mon_rdata  = rdata;
    mon_start  = start;
    mon_clear  = perf_clear;
  end

  // -----------------------------------------------------------------------------------------
  // AXI4-Lite master BFM. One process (bfm below) drives the bus; the tests post requests to it
  // through req_* / rsp_* (this keeps a single copy of the bus code: Verilator inlines tasks at
  // every call site). Transactions start and end just after a falling edge.
  logic                 req_valid = 1'b0;   // set by a test, cleared by the BFM when done
  logic                 req_write = 1'b0;
  logic [AddrWidth-1:0] req_addr = '0;
  logic [31:0]          req_data = '0;
  logic [3:0]           req_strb = '0;
  int                   req_order = 0;      // 0 AW and W together, 1 AW first, 2 W first
  int                   req_gap = 0;        // cycles between AW and W
  logic [1:0]           req_exp_resp = '0;  // expected BRESP/RRESP
  logic                 req_check = 1'b0;   // compare the read data with req_exp_data
  logic [31:0]          req_exp_data = '0;
  string                req_what = "";      // what the transaction checks, for messages
  logic [31:0]          rsp_data;
  logic [1:0]           rsp_resp;

  // Wait for the write response: BREADY follows the LFSR (3/4 of the cycles).
  task automatic bfm_b(output logic [1:0] resp);
    logic [31:0] r;
    logic fire;
    int t;
    fire = 1'b0;
    t = 0;
    while (!fire) begin
      rand32(r);
      bready = r[0] | r[1];
      #1;
      fire = bvalid && bready;
      resp = bresp;
      @(negedge clk);
      if (++t > Timeout) $fatal(1, "qsa_axil_csr_tb: no B response");
    end
    bready = 1'b0;
  endtask

  task automatic bfm_write(input logic [AddrWidth-1:0] addr, input logic [31:0] data,
                           input logic [3:0] strb, input int order, input int gap,
                           output logic [1:0] resp);
    logic aw_done, w_done, aw_fire, w_fire;
    int cyc;
    aw_done = 1'b0;
    w_done = 1'b0;
    cyc = 0;
    in_write = 1'b1;
    while (!(aw_done && w_done)) begin
      if (!aw_done && (order != 2 || cyc >= gap)) begin
        awvalid = 1'b1;
        awaddr = addr;
      end
      if (!w_done && (order != 1 || cyc >= gap)) begin
        wvalid = 1'b1;
        wdata = data;
        wstrb = strb;
      end
      #1;
      aw_fire = awvalid && awready;
      w_fire = wvalid && wready;
      if (bvalid) $fatal(1, "qsa_axil_csr_tb: BVALID before the write's AW and W");
      @(negedge clk);
      if (aw_fire) begin
        aw_done = 1'b1;
        awvalid = 1'b0;
        awaddr = '0;
      end
      if (w_fire) begin
        w_done = 1'b1;
        wvalid = 1'b0;
        wdata = '0;
        wstrb = '0;
      end
      if (++cyc > Timeout) $fatal(1, "qsa_axil_csr_tb: AW/W not accepted");
    end
    in_write = 1'b0;
    bfm_b(resp);
    n_writes++;
  endtask

  task automatic bfm_read(input logic [AddrWidth-1:0] addr, output logic [31:0] data,
                          output logic [1:0] resp);
    logic [31:0] r;
    logic fire;
    int t;
    rand32(r);
    if (r[1:0] == 2'b00) @(negedge clk);  // an idle cycle now and then
    arvalid = 1'b1;
    araddr = addr;
    fire = 1'b0;
    t = 0;
    while (!fire) begin
      #1;
      fire = arvalid && arready;
      @(negedge clk);
      if (++t > Timeout) $fatal(1, "qsa_axil_csr_tb: AR not accepted");
    end
    arvalid = 1'b0;
    araddr = '0;
    fire = 1'b0;
    t = 0;
    while (!fire) begin
      rand32(r);
      rready = r[0] | r[1];
      #1;
      fire = rvalid && rready;
      data = rdata;
      resp = rresp;
      @(negedge clk);
      if (++t > Timeout) $fatal(1, "qsa_axil_csr_tb: no R response");
    end
    rready = 1'b0;
    n_reads++;
  endtask

  initial begin : bfm
    logic [31:0] data, r;
    logic [1:0]  resp;
    int          order, gap;
    forever begin
      wait (req_valid);
      if (req_write) begin
        order = req_order;
        gap = req_gap;
        if (order < 0) begin  // random order and gap (0..3 cycles)
          rand32(r);
          order = int'(r[1:0]) % 3;
          gap = int'(r[3:2]);
        end
        bfm_write(req_addr, req_data, req_strb, order, gap, resp);
        data = '0;
      end else begin
        bfm_read(req_addr, data, resp);
      end
      n_checks++;
      if (resp != req_exp_resp)
        $fatal(1, "qsa_axil_csr_tb: FAIL at %0t: %s: %s 0x%03h answered %0d, expected %0d",
               $time, req_what, req_write ? "write" : "read", req_addr, resp, req_exp_resp);
      if (req_check) begin
        n_checks++;
        if (data != req_exp_data)
          $fatal(1, "qsa_axil_csr_tb: FAIL at %0t: %s (0x%03h): read 0x%08h, expected 0x%08h",
                 $time, req_what, req_addr, data, req_exp_data);
      end
      rsp_data = data;
      rsp_resp = resp;
      req_valid = 1'b0;
    end
  end

  // Post one transaction to the BFM and wait for it. order < 0: random AW/W order and gap.
  task automatic post(input logic write, input logic [11:0] addr, input logic [31:0] data,
                      input logic [3:0] strb, input int order, input int gap,
                      input logic [1:0] exp_resp, input logic check_data, input string what,
                      output logic [31:0] rdata_o);
    req_write = write;
    req_addr = AddrWidth'(addr);
    req_data = data;
    req_strb = strb;
    req_order = order;
    req_gap = gap;
    req_exp_resp = exp_resp;
    req_check = check_data;
    req_exp_data = data;
    req_what = what;
    req_valid = 1'b1;
    wait (!req_valid);
    rdata_o = rsp_data;
  endtask

  // Write, expecting OKAY (random AW/W order).
  task automatic wr(input logic [11:0] addr, input logic [31:0] data, input logic [3:0] strb);
    logic [31:0] unused;
    post(1'b1, addr, data, strb, -1, 0, RESP_OKAY, 1'b0, "write", unused);
  endtask

  // Read, expecting OKAY.
  task automatic rd(input logic [11:0] addr, output logic [31:0] data);
    post(1'b0, addr, 32'h0, 4'h0, 0, 0, RESP_OKAY, 1'b0, "read", data);
  endtask

  // Read, expecting OKAY and the value exp.
  task automatic expect_reg(input logic [11:0] addr, input logic [31:0] exp, input string what);
    logic [31:0] unused;
    post(1'b0, addr, exp, 4'h0, 0, 0, RESP_OKAY, 1'b1, what, unused);
  endtask

  task automatic pulse_done;
    done = 1'b1;
    @(negedge clk);
    done = 1'b0;
  endtask

  task automatic pulse_err(input int bit_idx, input logic [7:0] lyr, input logic [7:0] cause,
                           input logic [31:0] addr);
    err = '0;
    err[bit_idx] = 1'b1;
    err_layer = lyr;
    err_cause = cause;
    err_addr = addr;
    @(negedge clk);
    err = '0;
    err_layer = 8'hxx;  // must not be captured outside the pulse
    err_cause = 8'hxx;
    err_addr = 32'hxxxx_xxxx;
    @(negedge clk);
    err_layer = '0;
    err_cause = '0;
    err_addr = '0;
  endtask

  // -----------------------------------------------------------------------------------------
  // Tests

  task automatic test_reset_values;
    logic [31:0] v;
    for (int i = 0; i < n_regs; i++) begin
      rd(qsa_regs_pkg::REG_TABLE_OFFSET[i*12 +: 12], v);
      check(v == qsa_regs_pkg::REG_TABLE_RESET[i*32 +: 32],
            $sformatf("reset value of %s: read 0x%08h, expected 0x%08h", reg_name(i), v,
                      qsa_regs_pkg::REG_TABLE_RESET[i*32 +: 32]));
    end
    check(!start && !irq && !perf_clear && !irq_en && !perf_freeze, "outputs idle after reset");
  endtask

  task automatic test_config_ports;
    cfg_pes = 8'd16;
    cfg_lanes = 8'd4;
    cfg_axi_bytes = 8'd32;
    cfg_act_kib = 16'd64;
    cfg_out_kib = 16'd1024;
    @(negedge clk);
    expect_reg(qsa_regs_pkg::REG_CONFIG_OFFSET,
               (32'(cfg_pes) << qsa_regs_pkg::CONFIG_PES_LSB) |
               (32'(cfg_lanes) << qsa_regs_pkg::CONFIG_LANES_LSB) |
               (32'(cfg_axi_bytes) << qsa_regs_pkg::CONFIG_AXI_BYTES_LSB), "CONFIG from ports");
    expect_reg(qsa_regs_pkg::REG_BUF_CONFIG_OFFSET,
               (32'(cfg_act_kib) << qsa_regs_pkg::BUF_CONFIG_ACT_KIB_LSB) |
               (32'(cfg_out_kib) << qsa_regs_pkg::BUF_CONFIG_OUT_KIB_LSB), "BUF_CONFIG from ports");
    cfg_pes = qsa_regs_pkg::CONFIG_PES_RESET;
    cfg_lanes = qsa_regs_pkg::CONFIG_LANES_RESET;
    cfg_axi_bytes = qsa_regs_pkg::CONFIG_AXI_BYTES_RESET;
    cfg_act_kib = qsa_regs_pkg::BUF_CONFIG_ACT_KIB_RESET;
    cfg_out_kib = qsa_regs_pkg::BUF_CONFIG_OUT_KIB_RESET;
  endtask

  // Every register with rw bits: full writes, each byte lane alone, no lane, random lanes.
  task automatic test_rw_registers;
    logic [31:0] model, data, v, rwm, keep, bm;
    logic [11:0] off;
    logic [3:0]  strb;
    for (int i = 0; i < n_regs; i++) begin
      rwm = qsa_regs_pkg::REG_TABLE_RW_MASK[i*32 +: 32];
      off = qsa_regs_pkg::REG_TABLE_OFFSET[i*12 +: 12];
      keep = qsa_regs_pkg::REG_TABLE_RESET[i*32 +: 32] & ~rwm;
      // Never write 1 to pulse (w1s) bits here: they are tested on their own.
      model = qsa_regs_pkg::REG_TABLE_RESET[i*32 +: 32] & rwm;
      for (int step = 0; step < (rwm != 32'h0 ? n_steps : 0); step++) begin
        rand32(data);
        data = data & ~qsa_regs_pkg::REG_TABLE_W1S_MASK[i*32 +: 32];
        case (step)
          0: strb = 4'b1111;
          1: strb = 4'b0001;
          2: strb = 4'b0010;
          3: strb = 4'b0100;
          4: strb = 4'b1000;
          5: strb = 4'b0000;
          6: begin strb = 4'b1111; data = 32'hffff_ffff & ~qsa_regs_pkg::REG_TABLE_W1S_MASK[i*32 +: 32]; end
          7: begin strb = 4'b1111; data = 32'h0; end
          default: begin rand32(v); strb = v[3:0]; end
        endcase
        wr(off, data, strb);
        bm = {{8{strb[3]}}, {8{strb[2]}}, {8{strb[1]}}, {8{strb[0]}}};
        model = (model & ~(bm & rwm)) | (data & bm & rwm);
        expect_reg(off, model | keep, $sformatf("%s after write 0x%08h strb %b", reg_name(i), data, strb));
      end
    end
  endtask

  // Outputs to the datapath follow the registers; K_OVERRIDE layer j is k_override[4j +: 4].
  task automatic test_outputs;
    wr(qsa_regs_pkg::REG_MODEL_BASE_OFFSET, 32'h8000_1007, 4'hf);  // bits [2:0] read 0
    wr(qsa_regs_pkg::REG_DESC_PTR_OFFSET, 32'h8000_1040, 4'hf);
    wr(qsa_regs_pkg::REG_DESC_COUNT_OFFSET, 32'hffff_ffff, 4'hf);
    wr(qsa_regs_pkg::REG_ACT_ADDR0_OFFSET, 32'h9000_0000, 4'hf);
    wr(qsa_regs_pkg::REG_ACT_ADDR1_OFFSET, 32'h9800_0008, 4'hf);
    wr(qsa_regs_pkg::REG_WIN_BASE_OFFSET, 32'h8000_0000, 4'hf);
    wr(qsa_regs_pkg::REG_WIN_LIMIT_OFFSET, 32'hc000_0000, 4'hf);
    for (int r = 0; r < n_kovr; r++)
      wr(qsa_regs_pkg::REG_K_OVERRIDE_BASE_OFFSET + 12'(r * qsa_regs_pkg::REG_K_OVERRIDE_STRIDE),
         32'h0, 4'hf);
    // Layer 11: K_OVERRIDE[11 / 8] bits [4 * (11 % 8) +: 4] = K_OVERRIDE1[15:12]; enable, k = 5.
    wr(qsa_regs_pkg::REG_K_OVERRIDE1_OFFSET, 32'h0000_d000, 4'hf);
    wr(qsa_regs_pkg::REG_K_OVERRIDE3_OFFSET, 32'h9000_0000, 4'hf);  // layer 31: enable, k = 1
    check(model_base == 32'h8000_1000, "model_base_o");
    check(desc_ptr == 32'h8000_1040, "desc_ptr_o");
    check(desc_count == 9'h1ff, "desc_count_o");
    check(act_addr0 == 32'h9000_0000 && act_addr1 == 32'h9800_0008, "act_addr0_o/act_addr1_o");
    check(win_base == 32'h8000_0000 && win_limit == 32'hc000_0000, "win_base_o/win_limit_o");
    for (int j = 0; j < n_layers; j++) begin
      check(k_override[4*j +: 4] == (j == 11 ? 4'hd : (j == 31 ? 4'h9 : 4'h0)),
            $sformatf("k_override_o layer %0d = %h", j, k_override[4*j +: 4]));
    end
    check(k_override[4*11 + qsa_regs_pkg::K_OVERRIDE_EN_BIT] == 1'b1, "layer 11 enable bit");
    check(k_override[4*11 +: qsa_regs_pkg::K_OVERRIDE_K_WIDTH] == 3'd5, "layer 11 k");
  endtask

  // Registers without writable bits ignore writes (and answer OKAY).
  task automatic test_ro_registers;
    logic [31:0] v_pre, v_post, any_w;
    logic [11:0] off;
    for (int i = 0; i < n_cnt; i++) cnt_static[i*64 +: 64] = {32'h0c00_0000 | 32'(i), 32'h5a00_0000 | 32'(i)};
    @(negedge clk);
    for (int i = 0; i < n_regs; i++) begin
      any_w = qsa_regs_pkg::REG_TABLE_RW_MASK[i*32 +: 32] | qsa_regs_pkg::REG_TABLE_W1C_MASK[i*32 +: 32] |
              qsa_regs_pkg::REG_TABLE_W1S_MASK[i*32 +: 32];
      if (any_w == 32'h0) begin
        off = qsa_regs_pkg::REG_TABLE_OFFSET[i*12 +: 12];
        rd(off, v_pre);
        wr(off, ~v_pre, 4'hf);
        wr(off, 32'h0, 4'hf);
        rd(off, v_post);
        check(v_post == v_pre, $sformatf("ro register %s changed by a write: 0x%08h -> 0x%08h",
                                         reg_name(i), v_pre, v_post));
      end
    end
    cnt_static = '0;
  endtask

  task automatic test_start_pulse;
    logic [31:0] v;
    int n0;
    n0 = n_start;
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_START_MASK, 4'hf);
    repeat (2) @(negedge clk);
    check(n_start == n0 + 1, $sformatf("CTRL.START: %0d start_o pulses, expected 1", n_start - n0));
    expect_reg(qsa_regs_pkg::REG_CTRL_OFFSET, 32'h0, "CTRL after START (self-clearing)");
    // Byte lane 0 not strobed: no pulse.
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, 32'hffff_ffff & ~qsa_regs_pkg::CTRL_IRQ_EN_MASK, 4'b1110);
    // Writing 0: no pulse.
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, 32'h0, 4'hf);
    // While busy: ignored.
    busy = 1'b1;
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_START_MASK, 4'hf);
    busy = 1'b0;
    repeat (2) @(negedge clk);
    check(n_start == n0 + 1, "START with strobe off, data 0, or while busy must not pulse");
    // PERF_CTRL.CLEAR pulse, FREEZE level.
    n0 = n_perf_clear;
    wr(qsa_regs_pkg::REG_PERF_CTRL_OFFSET, qsa_regs_pkg::PERF_CTRL_CLEAR_MASK, 4'hf);
    repeat (2) @(negedge clk);
    check(n_perf_clear == n0 + 1, "PERF_CTRL.CLEAR gives one perf_clear_o pulse");
    check(!perf_freeze, "perf_freeze_o low");
    wr(qsa_regs_pkg::REG_PERF_CTRL_OFFSET,
       qsa_regs_pkg::PERF_CTRL_FREEZE_MASK | qsa_regs_pkg::PERF_CTRL_CLEAR_MASK, 4'hf);
    repeat (2) @(negedge clk);
    check(n_perf_clear == n0 + 2 && perf_freeze, "PERF_CTRL.CLEAR|FREEZE");
    expect_reg(qsa_regs_pkg::REG_PERF_CTRL_OFFSET, qsa_regs_pkg::PERF_CTRL_FREEZE_MASK,
               "PERF_CTRL reads FREEZE only");
    wr(qsa_regs_pkg::REG_PERF_CTRL_OFFSET, 32'h0, 4'hf);
    check(!perf_freeze, "perf_freeze_o cleared");
    rd(qsa_regs_pkg::REG_CTRL_OFFSET, v);
  endtask

  function automatic logic [31:0] status_word(input logic b, input logic d, input logic e,
                                              input logic [7:0] l);
    status_word = (32'(b) << qsa_regs_pkg::STATUS_BUSY_LSB) | (32'(d) << qsa_regs_pkg::STATUS_DONE_LSB) |
                  (32'(e) << qsa_regs_pkg::STATUS_ERROR_LSB) | (32'(l) << qsa_regs_pkg::STATUS_LAYER_LSB);
  endfunction

  function automatic logic [31:0] info_word(input logic [7:0] l, input logic [7:0] c);
    info_word = (32'(l) << qsa_regs_pkg::ERR_INFO_LAYER_LSB) | (32'(c) << qsa_regs_pkg::ERR_INFO_CAUSE_LSB);
  endfunction

  task automatic test_done_and_irq;
    localparam logic [31:0] IDONE = qsa_regs_pkg::IRQ_STATUS_DONE_MASK;
    localparam logic [31:0] IERR = qsa_regs_pkg::IRQ_STATUS_ERROR_MASK;
    wr(qsa_regs_pkg::REG_IRQ_ENABLE_OFFSET, 32'h0, 4'hf);
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, 32'h0, 4'hf);
    // A run: START, busy, layers advance, done pulse.
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_START_MASK, 4'hf);
    busy = 1'b1;
    layer = 8'd2;
    expect_reg(qsa_regs_pkg::REG_STATUS_OFFSET, status_word(1'b1, 1'b0, 1'b0, 8'd2), "STATUS busy");
    layer = 8'd3;
    busy = 1'b0;
    pulse_done();
    repeat (3) @(negedge clk);
    expect_reg(qsa_regs_pkg::REG_STATUS_OFFSET, status_word(1'b0, 1'b1, 1'b0, 8'd3), "STATUS done");
    expect_reg(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, IDONE, "IRQ_STATUS.DONE set");
    check(!irq, "irq_o low while IRQ_ENABLE = 0");
    wr(qsa_regs_pkg::REG_IRQ_ENABLE_OFFSET, IDONE, 4'hf);
    check(!irq, "irq_o low while CTRL.IRQ_EN = 0");
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_IRQ_EN_MASK, 4'hf);
    check(irq && irq_en, "irq_o high: DONE pending, enabled, IRQ_EN");
    // w1c: writing 0 or with the lane not strobed leaves it; writing 1 clears it.
    wr(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, 32'h0, 4'hf);
    wr(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, 32'hffff_ffff, 4'b1110);
    check(irq, "irq_o stays high after w1c of 0 / unstrobed lane");
    expect_reg(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, IDONE, "IRQ_STATUS.DONE kept");
    wr(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, IDONE, 4'hf);
    check(!irq, "irq_o low after w1c");
    expect_reg(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, 32'h0, "IRQ_STATUS cleared");
    // STATUS.DONE is sticky until the next START.
    repeat (5) @(negedge clk);
    expect_reg(qsa_regs_pkg::REG_STATUS_OFFSET, status_word(1'b0, 1'b1, 1'b0, 8'd3), "STATUS.DONE sticky");
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_START_MASK | qsa_regs_pkg::CTRL_IRQ_EN_MASK, 4'hf);
    expect_reg(qsa_regs_pkg::REG_STATUS_OFFSET, status_word(1'b0, 1'b0, 1'b0, 8'd3), "STATUS.DONE cleared by START");
    // Disabled cause pending: no interrupt until enabled.
    wr(qsa_regs_pkg::REG_IRQ_ENABLE_OFFSET, 32'h0, 4'hf);
    pulse_done();
    @(negedge clk);
    check(!irq, "irq_o low: DONE pending but disabled");
    wr(qsa_regs_pkg::REG_IRQ_ENABLE_OFFSET, IDONE | IERR, 4'hf);
    check(irq, "irq_o high once enabled");
    wr(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, IDONE, 4'hf);
    check(!irq, "irq_o low");
  endtask

  task automatic test_errors;
    localparam logic [31:0] IERR = qsa_regs_pkg::IRQ_STATUS_ERROR_MASK;
    localparam logic [31:0] DESC = qsa_regs_pkg::ERR_STATUS_BAD_DESC_MASK;
    localparam logic [31:0] WIN = qsa_regs_pkg::ERR_STATUS_WINDOW_MASK;
    localparam logic [31:0] AXI = qsa_regs_pkg::ERR_STATUS_AXI_RESP_MASK;
    logic [31:0] v;
    check(!irq, "irq_o low before the error");
    // First error: BAD_DESC in layer 5.
    pulse_err(qsa_regs_pkg::ERR_STATUS_BAD_DESC_LSB, 8'd5, qsa_regs_pkg::ERR_CAUSE_DESC_FIELD, 32'h8000_0140);
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, DESC, "ERR_STATUS.BAD_DESC");
    expect_reg(qsa_regs_pkg::REG_ERR_INFO_OFFSET, info_word(8'd5, qsa_regs_pkg::ERR_CAUSE_DESC_FIELD), "ERR_INFO first error");
    expect_reg(qsa_regs_pkg::REG_ERR_ADDR_OFFSET, 32'h8000_0140, "ERR_ADDR first error");
    rd(qsa_regs_pkg::REG_STATUS_OFFSET, v);
    check((v & qsa_regs_pkg::STATUS_ERROR_MASK) != 0, "STATUS.ERROR set");
    expect_reg(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, IERR, "IRQ_STATUS.ERROR set");
    check(irq, "irq_o high on error");
    // Second error: recorded in ERR_STATUS, ERR_INFO/ERR_ADDR keep the first.
    pulse_err(qsa_regs_pkg::ERR_STATUS_WINDOW_LSB, 8'd6, qsa_regs_pkg::ERR_CAUSE_WIN_WRITE, 32'hc000_0000);
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, DESC | WIN, "ERR_STATUS accumulates");
    expect_reg(qsa_regs_pkg::REG_ERR_INFO_OFFSET, info_word(8'd5, qsa_regs_pkg::ERR_CAUSE_DESC_FIELD), "ERR_INFO keeps the first error");
    expect_reg(qsa_regs_pkg::REG_ERR_ADDR_OFFSET, 32'h8000_0140, "ERR_ADDR keeps the first error");
    // w1c one class: the other stays; still no new capture.
    wr(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, DESC, 4'hf);
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, WIN, "ERR_STATUS w1c of one bit");
    wr(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, WIN, 4'b0000);
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, WIN, "ERR_STATUS w1c with no strobe");
    wr(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, 32'hffff_ffff, 4'hf);
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, 32'h0, "ERR_STATUS all cleared");
    expect_reg(qsa_regs_pkg::REG_ERR_INFO_OFFSET, info_word(8'd5, qsa_regs_pkg::ERR_CAUSE_DESC_FIELD), "ERR_INFO kept after w1c");
    // IRQ_STATUS.ERROR and STATUS.ERROR are sticky independently of ERR_STATUS.
    check(irq, "irq_o still high (IRQ_STATUS.ERROR)");
    rd(qsa_regs_pkg::REG_STATUS_OFFSET, v);
    check((v & qsa_regs_pkg::STATUS_ERROR_MASK) != 0, "STATUS.ERROR sticky");
    // With ERR_STATUS clear, the next error is captured again.
    pulse_err(qsa_regs_pkg::ERR_STATUS_AXI_RESP_LSB, 8'd7, qsa_regs_pkg::ERR_CAUSE_AXI_RD_SLVERR, 32'h8000_2000);
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, AXI, "ERR_STATUS.AXI_RESP");
    expect_reg(qsa_regs_pkg::REG_ERR_INFO_OFFSET, info_word(8'd7, qsa_regs_pkg::ERR_CAUSE_AXI_RD_SLVERR), "ERR_INFO recaptured");
    expect_reg(qsa_regs_pkg::REG_ERR_ADDR_OFFSET, 32'h8000_2000, "ERR_ADDR recaptured");
    // A hardware set wins over a clear: an error held high survives w1c.
    err[qsa_regs_pkg::ERR_STATUS_BAD_CODE_LSB] = 1'b1;
    wr(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, 32'hffff_ffff, 4'hf);
    err = '0;
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, qsa_regs_pkg::ERR_STATUS_BAD_CODE_MASK, "set wins over w1c");
    // CTRL.CLEAR_ERRORS clears all error state (and keeps IRQ_EN as written).
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_CLEAR_ERRORS_MASK | qsa_regs_pkg::CTRL_IRQ_EN_MASK, 4'hf);
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, 32'h0, "CLEAR_ERRORS: ERR_STATUS");
    expect_reg(qsa_regs_pkg::REG_ERR_INFO_OFFSET, 32'h0, "CLEAR_ERRORS: ERR_INFO");
    expect_reg(qsa_regs_pkg::REG_ERR_ADDR_OFFSET, 32'h0, "CLEAR_ERRORS: ERR_ADDR");
    expect_reg(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, 32'h0, "CLEAR_ERRORS: IRQ_STATUS.ERROR");
    rd(qsa_regs_pkg::REG_STATUS_OFFSET, v);
    check((v & qsa_regs_pkg::STATUS_ERROR_MASK) == 0, "CLEAR_ERRORS: STATUS.ERROR");
    check(!irq, "irq_o low after CLEAR_ERRORS");
    expect_reg(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_IRQ_EN_MASK, "CTRL reads IRQ_EN only");
    // START clears STATUS.ERROR too.
    pulse_err(qsa_regs_pkg::ERR_STATUS_BAD_CODE_LSB, 8'd1, qsa_regs_pkg::ERR_CAUSE_CODE_RESERVED, 32'h8000_0300);
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_START_MASK, 4'hf);
    rd(qsa_regs_pkg::REG_STATUS_OFFSET, v);
    check((v & qsa_regs_pkg::STATUS_ERROR_MASK) == 0, "START clears STATUS.ERROR");
    expect_reg(qsa_regs_pkg::REG_ERR_STATUS_OFFSET, qsa_regs_pkg::ERR_STATUS_BAD_CODE_MASK,
               "START keeps ERR_STATUS");
    wr(qsa_regs_pkg::REG_CTRL_OFFSET, qsa_regs_pkg::CTRL_CLEAR_ERRORS_MASK, 4'hf);
    wr(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, 32'hffff_ffff, 4'hf);
  endtask

  task automatic test_counters;
    logic [31:0] lo, hi;
    logic [63:0] v_pre, v_post, v, prev;
    logic [11:0] lo_off, hi_off;
    int wraps;
    // Every counter at its place on the bus and in the map.
    for (int i = 0; i < n_cnt; i++) cnt_static[i*64 +: 64] = {8'(i + 1), 24'h00abcd, 8'(i), 24'h123456};
    @(negedge clk);
    for (int i = 0; i < n_cnt; i++) begin
      lo_off = qsa_regs_pkg::REG_PERF_BASE_OFFSET + 12'(8 * i);
      hi_off = lo_off + 12'd4;
      rd(lo_off, lo);
      rd(hi_off, hi);
      check({hi, lo} == cnt_static[i*64 +: 64],
            $sformatf("counter %0d: read 0x%08h_%08h, expected 0x%016h", i, hi, lo, cnt_static[i*64 +: 64]));
    end
    check(qsa_regs_pkg::REG_CYCLES_LO_OFFSET == qsa_regs_pkg::REG_PERF_BASE_OFFSET +
          12'(8 * qsa_regs_pkg::PERF_CYCLES_IDX), "CYCLES_LO offset");
    check(qsa_regs_pkg::REG_STALL_CYCLES_HI_OFFSET == qsa_regs_pkg::REG_PERF_BASE_OFFSET +
          12'(8 * qsa_regs_pkg::PERF_STALL_CYCLES_IDX + 4), "STALL_CYCLES_HI offset");
    // The HI half is the value latched by the LO read, not the live one.
    lo_off = qsa_regs_pkg::REG_MACS_DONE_LO_OFFSET;
    hi_off = qsa_regs_pkg::REG_MACS_DONE_HI_OFFSET;
    cnt_static[qsa_regs_pkg::PERF_MACS_DONE_IDX*64 +: 64] = 64'h0000_0001_ffff_ffff;
    @(negedge clk);
    rd(lo_off, lo);
    cnt_static[qsa_regs_pkg::PERF_MACS_DONE_IDX*64 +: 64] = 64'h0000_0002_0000_0005;
    repeat (3) @(negedge clk);
    rd(hi_off, hi);
    check(lo == 32'hffff_ffff && hi == 32'h1, $sformatf("LO/HI latch: read 0x%08h_%08h, expected 0x00000001_ffffffff", hi, lo));
    rd(hi_off, hi);
    check(hi == 32'h1, "HI stays latched until the next LO read");
    rd(lo_off, lo);
    rd(hi_off, hi);
    check({hi, lo} == 64'h0000_0002_0000_0005, "LO/HI after the next LO read");
    // A running counter crossing 2^32: each LO-then-HI pair is a value the counter held
    // between the start of the LO read and its end, and values never go back.
    cnt_run = 64'h0000_0000_ffff_ff80;
    cnt_running = 1'b1;
    prev = '0;
    wraps = 0;
    for (int k = 0; k < n_cnt * 6; k++) begin
      v_pre = cnt_run;
      rd(qsa_regs_pkg::REG_CYCLES_LO_OFFSET, lo);
      v_post = cnt_run;
      rd(qsa_regs_pkg::REG_CYCLES_HI_OFFSET, hi);
      v = {hi, lo};
      check(v >= v_pre && v <= v_post,
            $sformatf("running counter: 0x%016h not in [0x%016h, 0x%016h]", v, v_pre, v_post));
      check(v > prev, "running counter moves forward");
      if (prev[32] != v[32]) wraps++;
      prev = v;
    end
    check(wraps == 1, $sformatf("the running counter crossed 2^32 %0d times, expected 1", wraps));
    cnt_running = 1'b0;
    cnt_static = '0;
  endtask

  // Holes in the map answer SLVERR (reads 0, writes change nothing); bits [1:0] are ignored.
  logic [31:0] snap [NumRegs];  // register snapshot for test_unmapped

  task automatic test_unmapped;
    logic [31:0] v;
    logic mapped;
    int holes;
    for (int i = 0; i < n_regs; i++) begin
      rd(qsa_regs_pkg::REG_TABLE_OFFSET[i*12 +: 12], v);  // (Icarus: no output into snap[i])
      snap[i] = v;
    end
    holes = 0;
    for (int a = 0; a < 4096; a += 4) begin
      mapped = 1'b0;
      for (int i = 0; i < n_regs; i++)
        if (qsa_regs_pkg::REG_TABLE_OFFSET[i*12 +: 12] == 12'(a)) mapped = 1'b1;
      // Every hole up to 0x100, and a sample above.
      if (!mapped && (a <= 12'h100 || a % 64 == 60)) begin
        holes++;
        post(1'b1, 12'(a), 32'hffff_ffff, 4'hf, -1, 0, RESP_SLVERR, 1'b0, "write to a hole", v);
        post(1'b0, 12'(a), 32'h0, 4'h0, 0, 0, RESP_SLVERR, 1'b1, "read of a hole", v);
      end
    end
    check(holes > 20, "enough holes tested");
    for (int i = 0; i < n_regs; i++) begin
      rd(qsa_regs_pkg::REG_TABLE_OFFSET[i*12 +: 12], v);
      check(v == snap[i], $sformatf("%s changed by writes to holes", reg_name(i)));
    end
    // Address bits [1:0] are ignored.
    wr(qsa_regs_pkg::REG_WIN_BASE_OFFSET | 12'h3, 32'h1234_5678, 4'hf);
    expect_reg(qsa_regs_pkg::REG_WIN_BASE_OFFSET | 12'h2, 32'h1234_5678 & qsa_regs_pkg::REG_WIN_BASE_RW_MASK,
               "WIN_BASE through an unaligned address");
  endtask

  // AW and W in every order with gaps of 0..4 cycles, and back-to-back transactions.
  task automatic test_orders;
    logic [31:0] data, v;
    for (int order = 0; order < n_orders; order++) begin
      for (int gap = 0; gap < n_gaps; gap++) begin
        rand32(data);
        post(1'b1, qsa_regs_pkg::REG_DESC_PTR_OFFSET, data, 4'hf, order, gap, RESP_OKAY, 1'b0,
             "ordered write", v);
        expect_reg(qsa_regs_pkg::REG_DESC_PTR_OFFSET, data & qsa_regs_pkg::REG_DESC_PTR_RW_MASK,
                   $sformatf("DESC_PTR after a write with order %0d gap %0d", order, gap));
        check(desc_ptr == (data & qsa_regs_pkg::REG_DESC_PTR_RW_MASK), "desc_ptr_o");
      end
    end
    // Write then immediately read back, many times, random orders and back-pressure.
    for (int k = 0; k < n_regs; k++) begin
      rand32(data);
      wr(qsa_regs_pkg::REG_K_OVERRIDE2_OFFSET, data, 4'hf);
      expect_reg(qsa_regs_pkg::REG_K_OVERRIDE2_OFFSET, data, "K_OVERRIDE2 write/read");
    end
  endtask

  // An asynchronous reset in the middle of a cycle restores every reset value.
  task automatic test_async_reset;
    layer = '0;
    busy = 1'b0;
    #2;
    rst_n = 1'b0;
    #1;
    check(!start && !irq && !perf_clear && !bvalid && !rvalid, "outputs idle during reset");
    repeat (2) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    test_reset_values();
  endtask

  // -----------------------------------------------------------------------------------------
  initial begin
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    test_reset_values();
    test_config_ports();
    test_rw_registers();
    test_outputs();
    test_ro_registers();
    test_start_pulse();
    test_done_and_irq();
    test_errors();
    test_counters();
    test_unmapped();
    test_orders();
    test_async_reset();
    repeat (4) @(negedge clk);
    $display("PASS qsa_axil_csr_tb: %0d checks, %0d writes, %0d reads, %0d registers",
             n_checks, n_writes, n_reads, NumRegs);
    $finish;
  end

  initial begin
    #10000000;
    $fatal(1, "qsa_axil_csr_tb: watchdog timeout");
  end

endmodule
