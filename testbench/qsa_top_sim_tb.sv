// qsa_top end to end under Icarus: the same test as the Verilated co-simulation's Accel::Run, for
// the simulation-speed benchmark (bench/sim_speed.py); not a unit testbench (not in
// hdl_tests.cmake: it needs a model image from bench/qsa_sim_speed).
//
// The DRAM is qsa_axi_dram_model (AxiDram's timing), preloaded from +dram=<hex> (the model image
// and the first layer's input). The host programs the registers as Accel::Run does, with the
// same AXI4-Lite timing as AxiLiteHost (AW and W together, BREADY high, one write at a time,
// the next one presented in the cycle after the last one's B): MODEL_BASE, DESC_PTR,
// DESC_COUNT, ACT_ADDR0/1, WIN_BASE/LIMIT, K_OVERRIDE0..3 = 0, PERF_CTRL.CLEAR, then IRQ_STATUS
// (all ones), IRQ_ENABLE.DONE and CTRL.START|IRQ_EN, then waits for irq_o. The run's cycles are
// the accelerator's BUSY_CYCLES counter at that point, as AccelRun::cycles: START to DONE, not
// counting the host's register writes (whose cycles the simulators need not agree on: Icarus and
// Verilator --timing order this testbench's host against the clock edge differently, and the
// accelerator's cycles are the same under both). A +max_cycles run counts the cycles from the
// IRQ_STATUS write instead.
//
// Plusargs: +dram=<file> +expect=<file> (expected output bytes, one hex byte per line)
// +out_addr=<n> +out_bytes=<n> +model_base=<n> +desc_ptr=<n> +desc_count=<n> +act_addr0=<n>
// +act_addr1=<n> +win_base=<n> +win_limit=<n> (decimal), optional +expect_cycles=<n> (checked),
// +max_cycles=<n> (stop the run after n cycles: a speed sample, no output check) and
// +setup_only (load and reset, then stop: the simulator's fixed cost). Prints
// "qsa_top_sim_tb: cycles <n>" and PASS, or FAIL on a wrong output or cycle count.
module qsa_top_sim_tb #(
  parameter logic [31:0] DramBase = 32'h0,
  parameter int DramBytes = 16 * 1024 * 1024,
  parameter int MaxOutBytes = 65536
);

  logic        clk = 1'b0;
  logic        rst_n = 1'b0;

  logic [11:0] awaddr = '0;
  logic        awvalid = 1'b0;
  logic        awready;
  logic [31:0] wdata = '0;
  logic [3:0]  wstrb = '0;
  logic        wvalid = 1'b0;
  logic        wready;
  logic [1:0]  bresp;
  logic        bvalid;
  logic        bready = 1'b0;
  logic        arready, rvalid;
  logic [31:0] rdata;
  logic [1:0]  rresp;
  logic        irq;

  logic [0:0]  m_awid, m_arid;
  logic [31:0] m_awaddr, m_araddr;
  logic [7:0]  m_awlen, m_arlen;
  logic [2:0]  m_awsize, m_arsize, m_awprot, m_arprot;
  logic [1:0]  m_awburst, m_arburst, m_bresp, m_rresp;
  logic        m_awlock, m_arlock, m_awvalid, m_awready, m_wlast, m_wvalid, m_wready;
  logic [3:0]  m_awcache, m_arcache, m_awqos, m_arqos;
  logic [63:0] m_wdata, m_rdata;
  logic [7:0]  m_wstrb;
  logic        m_bvalid, m_bready, m_arvalid, m_arready, m_rlast, m_rvalid, m_rready;

  qsa_top u_dut (
    .clk_i           (clk),
    .rst_ni          (rst_n),
    .s_axil_awaddr_i (awaddr),
    .s_axil_awprot_i (3'b000),
    .s_axil_awvalid_i(awvalid),
    .s_axil_awready_o(awready),
    .s_axil_wdata_i  (wdata),
    .s_axil_wstrb_i  (wstrb),
    .s_axil_wvalid_i (wvalid),
    .s_axil_wready_o (wready),
    .s_axil_bresp_o  (bresp),
    .s_axil_bvalid_o (bvalid),
    .s_axil_bready_i (bready),
    .s_axil_araddr_i (12'h000),
    .s_axil_arprot_i (3'b000),
    .s_axil_arvalid_i(1'b0),
    .s_axil_arready_o(arready),
    .s_axil_rdata_o  (rdata),
    .s_axil_rresp_o  (rresp),
    .s_axil_rvalid_o (rvalid),
    .s_axil_rready_i (1'b0),
    .m_axi_awid_o    (m_awid),
    .m_axi_awaddr_o  (m_awaddr),
    .m_axi_awlen_o   (m_awlen),
    .m_axi_awsize_o  (m_awsize),
    .m_axi_awburst_o (m_awburst),
    .m_axi_awlock_o  (m_awlock),
    .m_axi_awcache_o (m_awcache),
    .m_axi_awprot_o  (m_awprot),
    .m_axi_awqos_o   (m_awqos),
    .m_axi_awvalid_o (m_awvalid),
    .m_axi_awready_i (m_awready),
    .m_axi_wdata_o   (m_wdata),
    .m_axi_wstrb_o   (m_wstrb),
    .m_axi_wlast_o   (m_wlast),
    .m_axi_wvalid_o  (m_wvalid),
    .m_axi_wready_i  (m_wready),
    .m_axi_bid_i     (1'b0),
    .m_axi_bresp_i   (m_bresp),
    .m_axi_bvalid_i  (m_bvalid),
    .m_axi_bready_o  (m_bready),
    .m_axi_arid_o    (m_arid),
    .m_axi_araddr_o  (m_araddr),
    .m_axi_arlen_o   (m_arlen),
    .m_axi_arsize_o  (m_arsize),
    .m_axi_arburst_o (m_arburst),
    .m_axi_arlock_o  (m_arlock),
    .m_axi_arcache_o (m_arcache),
    .m_axi_arprot_o  (m_arprot),
    .m_axi_arqos_o   (m_arqos),
    .m_axi_arvalid_o (m_arvalid),
    .m_axi_arready_i (m_arready),
    .m_axi_rid_i     (1'b0),
    .m_axi_rdata_i   (m_rdata),
    .m_axi_rresp_i   (m_rresp),
    .m_axi_rlast_i   (m_rlast),
    .m_axi_rvalid_i  (m_rvalid),
    .m_axi_rready_o  (m_rready),
    .irq_o           (irq)
  );

  qsa_axi_dram_model #(.Base(DramBase), .MemBytes(DramBytes)) u_dram (
    .clk_i    (clk),
    .rst_ni   (rst_n),
    .awaddr_i (m_awaddr),
    .awlen_i  (m_awlen),
    .awsize_i (m_awsize),
    .awburst_i(m_awburst),
    .awvalid_i(m_awvalid),
    .awready_o(m_awready),
    .wdata_i  (m_wdata),
    .wstrb_i  (m_wstrb),
    .wlast_i  (m_wlast),
    .wvalid_i (m_wvalid),
    .wready_o (m_wready),
    .bresp_o  (m_bresp),
    .bvalid_o (m_bvalid),
    .bready_i (m_bready),
    .araddr_i (m_araddr),
    .arlen_i  (m_arlen),
    .arsize_i (m_arsize),
    .arburst_i(m_arburst),
    .arvalid_i(m_arvalid),
    .arready_o(m_arready),
    .rdata_o  (m_rdata),
    .rresp_o  (m_rresp),
    .rlast_o  (m_rlast),
    .rvalid_o (m_rvalid),
    .rready_i (m_rready)
  );

  always #5 clk = ~clk;

  longint cycle = 0;  // rising edges so far
  always @(posedge clk) cycle <= cycle + 1;

  // One register write, presented from now (AW and W together, BREADY high) until its B
  // handshake; returns right after that rising edge.
  task automatic reg_write(input logic [11:0] addr, input logic [31:0] data);
    logic aw_done, w_done, b_done;
    aw_done = 1'b0;
    w_done  = 1'b0;
    b_done  = 1'b0;
    awaddr  <= addr;
    awvalid <= 1'b1;
    wdata   <= data;
    wstrb   <= 4'hf;
    wvalid  <= 1'b1;
    bready  <= 1'b1;
    while (!b_done) begin
      @(posedge clk);
      if (awvalid && awready) begin
        aw_done = 1'b1;
        awvalid <= 1'b0;
      end
      if (wvalid && wready) begin
        w_done = 1'b1;
        wvalid <= 1'b0;
      end
      if (bvalid && bready) begin
        if (!(aw_done && w_done)) $fatal(1, "FAIL qsa_top_sim_tb: B before AW and W");
        if (bresp != 2'b00) $fatal(1, "FAIL qsa_top_sim_tb: write of %h answered %b", addr, bresp);
        awvalid <= 1'b0;
        wvalid  <= 1'b0;
        bready  <= 1'b0;
        b_done = 1'b1;
      end
    end
  endtask

  function automatic longint arg(input string name);
    longint v;
    if (!$value$plusargs({name, "=%d"}, v)) $fatal(1, "FAIL qsa_top_sim_tb: +%s missing", name);
    arg = v;
  endfunction

  logic [7:0] expect_bytes [MaxOutBytes];

  initial begin
    longint start, cycles, max_cycles, expect_cycles, out_addr, out_bytes;
    string  file;
    int     bad, w;
    logic [7:0] got;
    // Reset: four rising edges, as Accel's constructor.
    repeat (4) @(posedge clk);
    rst_n <= 1'b1;
    if ($test$plusargs("setup_only")) begin
      $display("qsa_top_sim_tb: setup only");
      $finish;
    end
    reg_write(qsa_regs_pkg::REG_MODEL_BASE_OFFSET, 32'(arg("model_base")));
    reg_write(qsa_regs_pkg::REG_DESC_PTR_OFFSET, 32'(arg("desc_ptr")));
    reg_write(qsa_regs_pkg::REG_DESC_COUNT_OFFSET, 32'(arg("desc_count")));
    reg_write(qsa_regs_pkg::REG_ACT_ADDR0_OFFSET, 32'(arg("act_addr0")));
    reg_write(qsa_regs_pkg::REG_ACT_ADDR1_OFFSET, 32'(arg("act_addr1")));
    reg_write(qsa_regs_pkg::REG_WIN_BASE_OFFSET, 32'(arg("win_base")));
    reg_write(qsa_regs_pkg::REG_WIN_LIMIT_OFFSET, 32'(arg("win_limit")));
    for (int r = 0; r < qsa_regs_pkg::REG_K_OVERRIDE_COUNT; r++) begin
      reg_write(qsa_regs_pkg::REG_K_OVERRIDE_BASE_OFFSET +
                12'(r * qsa_regs_pkg::REG_K_OVERRIDE_STRIDE), 32'h0);
    end
    reg_write(qsa_regs_pkg::REG_PERF_CTRL_OFFSET, qsa_regs_pkg::PERF_CTRL_CLEAR_MASK);
    start = cycle + 1;  // cycle counts this rising edge from its NBA region on
    reg_write(qsa_regs_pkg::REG_IRQ_STATUS_OFFSET, 32'hffff_ffff);
    reg_write(qsa_regs_pkg::REG_IRQ_ENABLE_OFFSET, qsa_regs_pkg::IRQ_ENABLE_DONE_MASK);
    reg_write(qsa_regs_pkg::REG_CTRL_OFFSET,
              qsa_regs_pkg::CTRL_START_MASK | qsa_regs_pkg::CTRL_IRQ_EN_MASK);
    if (!$value$plusargs("max_cycles=%d", max_cycles)) max_cycles = 200_000_000;
    do begin
      @(posedge clk);
      #1;
    end while (!irq && cycle - start < max_cycles);
    cycles = cycle - start;
    if (!irq) begin
      $display("qsa_top_sim_tb: cycles %0d", cycles);
      $display("qsa_top_sim_tb: stopped after %0d cycles (+max_cycles), output not checked",
               cycles);
      $finish;
    end
    cycles = longint'(u_dut.cnt_q[qsa_regs_pkg::PERF_BUSY_CYCLES_IDX*64 +: 64]);
    $display("qsa_top_sim_tb: cycles %0d", cycles);
    if ($value$plusargs("expect_cycles=%d", expect_cycles) && cycles != expect_cycles) begin
      $fatal(1, "FAIL qsa_top_sim_tb: %0d cycles, the Verilated model took %0d", cycles,
             expect_cycles);
    end
    out_addr  = arg("out_addr");
    out_bytes = arg("out_bytes");
    if (out_bytes > MaxOutBytes) $fatal(1, "FAIL qsa_top_sim_tb: +out_bytes > MaxOutBytes");
    if (!$value$plusargs("expect=%s", file)) $fatal(1, "FAIL qsa_top_sim_tb: +expect missing");
    $readmemh(file, expect_bytes, 0, int'(out_bytes) - 1);
    bad = 0;
    for (longint i = 0; i < out_bytes; i++) begin
      w   = int'((out_addr + i - longint'(DramBase)) >> 3);
      got = u_dram.mem[w][((out_addr + i) % 8) * 8 +: 8];
      if (got !== expect_bytes[i]) begin
        if (bad < 10) begin
          $display("FAIL qsa_top_sim_tb: output byte %0d = %h, expected %h", i, got,
                   expect_bytes[i]);
        end
        bad++;
      end
    end
    if (bad != 0) $fatal(1, "FAIL qsa_top_sim_tb: %0d of %0d output bytes differ", bad, out_bytes);
    $display("PASS qsa_top_sim_tb: %0d output bytes match, %0d cycles", out_bytes, cycles);
    $finish;
  end

endmodule
