// Self-checking testbench of qsa_dma against qsa_axi_mem_model (random AXI timing, protocol
// checks, error injection).
//
// Directed tests (every alignment and short length, window edges and address wrap, zero length,
// 4 KiB crossings, long commands, SLVERR/DECERR on R and B at the first, a middle and the last
// beat, full-speed throughput) then random reads and writes of 1..2000 bytes at random
// alignments with random stall levels on every channel, consumer back-pressure and producer
// gaps. A golden byte copy of the memory is kept: reads are checked beat by beat against it,
// writes are checked in the memory model around the written range (untouched bytes stay).
// Every command checks its error code and address, the bursts and beats seen by the slave
// against the expected burst plan (MaxBurst and 4 KiB splits), and the beat pulses.
//
// Plusargs: +seed=N (default 1), +cmds=N random commands (default 600).
// Parameter MaxBurst (default 16) sets the DUT's and the checker's burst limit, MaxReads
// (default 4) the DUT's outstanding reads (the slave model takes one read burst at a time, so
// here it only changes what a read error drains; tests/sim/dma_test.cc runs several at once).
// Runs under Icarus (iverilog -g2012; vvp -n) and Verilator (--binary --timing). Stimulus is
// applied and sampled on the falling clock edge by the main process; the consumer, producer
// and slave model are clocked processes with non-blocking updates, so there are no races.
module qsa_dma_tb;
  parameter int MaxBurst = 16;
  parameter int MaxReads = 4;

  localparam int AddrWidth = 32;
  localparam int DataWidth = 64;
  localparam int LenWidth = 24;
  localparam int StrbWidth = DataWidth / 8;
  localparam int OffWidth = $clog2(StrbWidth);
  localparam int PageBeats = 4096 / StrbWidth;
  localparam int MemBytes = 65536;
  localparam logic [AddrWidth-1:0] MemBase = 32'h8000_0000;
  localparam logic [AddrWidth-1:0] MemEnd = MemBase + AddrWidth'(MemBytes);
  localparam int MaxCmdBeats = 4096;
  localparam int CycleLimit = 20_000_000;
  localparam int CmdTimeout = 200_000;

  // ---------------------------------------------------------------------------------------
  // Clock, reset, watchdog
  logic        clk = 1'b0;
  logic        rst_n = 1'b0;
  logic [31:0] cycles = '0;

  always #5 clk = ~clk;

  always @(posedge clk) begin
    cycles <= cycles + 32'd1;
    if (cycles > 32'(CycleLimit)) $fatal(1, "qsa_dma_tb: watchdog, cycle limit %0d", CycleLimit);
  end

  // ---------------------------------------------------------------------------------------
  // DUT
  logic                 cmd_valid = 1'b0;
  logic                 cmd_ready;
  logic                 cmd_write = 1'b0;
  logic [AddrWidth-1:0] cmd_addr = '0;
  logic [LenWidth-1:0]  cmd_len = '0;
  logic [AddrWidth-1:0] win_base = '0;
  logic [AddrWidth-1:0] win_limit = '0;
  logic                 done, err;
  logic [1:0]           err_code;
  logic [AddrWidth-1:0] err_addr;
  logic                 rd_valid, rd_ready, rd_last;
  logic [DataWidth-1:0] rd_data;
  logic                 wr_valid, wr_ready;
  logic [DataWidth-1:0] wr_data;
  logic                 beats_rd, beats_wr;

  logic [0:0]           awid, bid, arid, rid;
  logic [AddrWidth-1:0] awaddr, araddr;
  logic [7:0]           awlen, arlen;
  logic [2:0]           awsize, arsize, awprot, arprot;
  logic [1:0]           awburst, arburst, bresp, rresp;
  logic                 awlock, arlock;
  logic [3:0]           awcache, arcache, awqos, arqos;
  logic                 awvalid, awready, wvalid, wready, wlast, bvalid, bready;
  logic                 arvalid, arready, rvalid, rready, rlast;
  logic [DataWidth-1:0] wdata, rdata;
  logic [StrbWidth-1:0] wstrb;

  qsa_dma #(
    .AddrWidth(AddrWidth),
    .DataWidth(DataWidth),
    .MaxBurst (MaxBurst),
    .MaxReads (MaxReads),
    .LenWidth (LenWidth)
  ) u_dut (
    .clk_i          (clk),
    .rst_ni         (rst_n),
    .cmd_valid_i    (cmd_valid),
    .cmd_ready_o    (cmd_ready),
    .cmd_write_i    (cmd_write),
    .cmd_addr_i     (cmd_addr),
    .cmd_len_i      (cmd_len),
    .win_base_i     (win_base),
    .win_limit_i    (win_limit),
    .done_o         (done),
    .err_o          (err),
    .err_code_o     (err_code),
    .err_addr_o     (err_addr),
    .err_decerr_o   (),
    .rd_valid_o     (rd_valid),
    .rd_ready_i     (rd_ready),
    .rd_data_o      (rd_data),
    .rd_last_o      (rd_last),
    .wr_valid_i     (wr_valid),
    .wr_ready_o     (wr_ready),
    .wr_data_i      (wr_data),
    .beats_rd_o     (beats_rd),
    .beats_wr_o     (beats_wr),
    .m_axi_awid_o   (awid),
    .m_axi_awaddr_o (awaddr),
    .m_axi_awlen_o  (awlen),
    .m_axi_awsize_o (awsize),
    .m_axi_awburst_o(awburst),
    .m_axi_awlock_o (awlock),
    .m_axi_awcache_o(awcache),
    .m_axi_awprot_o (awprot),
    .m_axi_awqos_o  (awqos),
    .m_axi_awvalid_o(awvalid),
    .m_axi_awready_i(awready),
    .m_axi_wdata_o  (wdata),
    .m_axi_wstrb_o  (wstrb),
    .m_axi_wlast_o  (wlast),
    .m_axi_wvalid_o (wvalid),
    .m_axi_wready_i (wready),
    .m_axi_bid_i    (bid),
    .m_axi_bresp_i  (bresp),
    .m_axi_bvalid_i (bvalid),
    .m_axi_bready_o (bready),
    .m_axi_arid_o   (arid),
    .m_axi_araddr_o (araddr),
    .m_axi_arlen_o  (arlen),
    .m_axi_arsize_o (arsize),
    .m_axi_arburst_o(arburst),
    .m_axi_arlock_o (arlock),
    .m_axi_arcache_o(arcache),
    .m_axi_arprot_o (arprot),
    .m_axi_arqos_o  (arqos),
    .m_axi_arvalid_o(arvalid),
    .m_axi_arready_i(arready),
    .m_axi_rid_i    (rid),
    .m_axi_rdata_i  (rdata),
    .m_axi_rresp_i  (rresp),
    .m_axi_rlast_i  (rlast),
    .m_axi_rvalid_i (rvalid),
    .m_axi_rready_o (rready)
  );

  // ---------------------------------------------------------------------------------------
  // Slave memory
  logic [2:0]           mem_stall = 3'd0;
  logic                 inj_en = 1'b0;
  logic [AddrWidth-1:0] inj_addr = '0;
  logic [1:0]           inj_resp = 2'b10;
  logic [31:0]          ar_cnt, aw_cnt, r_cnt, w_cnt, b_cnt, max_burst, page_splits;

  qsa_axi_mem_model #(
    .AddrWidth(AddrWidth),
    .DataWidth(DataWidth),
    .IdWidth  (1),
    .MemBase  (MemBase),
    .MemBytes (MemBytes),
    .MaxBurst (MaxBurst),
    .Seed     (7)
  ) u_mem (
    .clk_i          (clk),
    .rst_ni         (rst_n),
    .stall_i        (mem_stall),
    .err_en_i       (inj_en),
    .err_addr_i     (inj_addr),
    .err_resp_i     (inj_resp),
    .ar_cnt_o       (ar_cnt),
    .aw_cnt_o       (aw_cnt),
    .r_cnt_o        (r_cnt),
    .w_cnt_o        (w_cnt),
    .b_cnt_o        (b_cnt),
    .max_burst_o    (max_burst),
    .page_splits_o  (page_splits),
    .s_axi_awid_i   (awid),
    .s_axi_awaddr_i (awaddr),
    .s_axi_awlen_i  (awlen),
    .s_axi_awsize_i (awsize),
    .s_axi_awburst_i(awburst),
    .s_axi_awlock_i (awlock),
    .s_axi_awcache_i(awcache),
    .s_axi_awprot_i (awprot),
    .s_axi_awqos_i  (awqos),
    .s_axi_awvalid_i(awvalid),
    .s_axi_awready_o(awready),
    .s_axi_wdata_i  (wdata),
    .s_axi_wstrb_i  (wstrb),
    .s_axi_wlast_i  (wlast),
    .s_axi_wvalid_i (wvalid),
    .s_axi_wready_o (wready),
    .s_axi_bid_o    (bid),
    .s_axi_bresp_o  (bresp),
    .s_axi_bvalid_o (bvalid),
    .s_axi_bready_i (bready),
    .s_axi_arid_i   (arid),
    .s_axi_araddr_i (araddr),
    .s_axi_arlen_i  (arlen),
    .s_axi_arsize_i (arsize),
    .s_axi_arburst_i(arburst),
    .s_axi_arlock_i (arlock),
    .s_axi_arcache_i(arcache),
    .s_axi_arprot_i (arprot),
    .s_axi_arqos_i  (arqos),
    .s_axi_arvalid_i(arvalid),
    .s_axi_arready_o(arready),
    .s_axi_rid_o    (rid),
    .s_axi_rdata_o  (rdata),
    .s_axi_rresp_o  (rresp),
    .s_axi_rlast_o  (rlast),
    .s_axi_rvalid_o (rvalid),
    .s_axi_rready_i (rready)
  );

  // ---------------------------------------------------------------------------------------
  // Consumer: random back-pressure, stores the beats of the current read command
  logic [2:0]           bp_level = 3'd0;
  logic                 rx_en = 1'b0;
  int                   rx_expect = 0;   // beats of the command (rd_last on the last one)
  int                   rx_n;
  logic [DataWidth-1:0] rx_beats [MaxCmdBeats];
  logic [31:0]          c_rng;

  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      rd_ready <= 1'b0;
      rx_n     <= 0;
      c_rng    <= 32'h0BAD_5EED;
    end else begin
      c_rng <= qsa_tb_pkg::xorshift32(c_rng);
      if (rd_valid && rd_ready) begin
        if (!rx_en) $fatal(1, "qsa_dma_tb: read beat outside a read command");
        if (rx_n >= rx_expect) $fatal(1, "qsa_dma_tb: more than %0d read beats", rx_expect);
        if (rd_last !== (rx_n == rx_expect - 1)) begin
          $fatal(1, "qsa_dma_tb: rd_last=%b on beat %0d of %0d", rd_last, rx_n, rx_expect);
        end
        rx_beats[rx_n] <= rd_data;
      end
      if (!rx_en) rx_n <= 0;
      else if (rd_valid && rd_ready) rx_n <= rx_n + 1;
      rd_ready <= (c_rng[2:0] >= bp_level);
    end
  end

  // ---------------------------------------------------------------------------------------
  // Producer: offers the beats of the current write command with random gaps
  logic [2:0]           gap_level = 3'd0;
  logic                 tx_en = 1'b0;
  int                   tx_n = 0;
  int                   tx_idx;
  logic [DataWidth-1:0] tx_beats [MaxCmdBeats];
  logic [31:0]          p_rng;

  always @(posedge clk or negedge rst_n) begin : p_producer
    int   idx;
    logic v;
    if (!rst_n) begin
      wr_valid <= 1'b0;
      wr_data  <= '0;
      tx_idx   <= 0;
      p_rng    <= 32'h5EED_F00D;
    end else begin
      p_rng <= qsa_tb_pkg::xorshift32(p_rng);
      if (!tx_en) begin
        wr_valid <= 1'b0;
        tx_idx   <= 0;
      end else begin
        idx = tx_idx;
        v   = wr_valid;
        if (wr_valid && wr_ready) begin
          idx = idx + 1;
          v   = 1'b0;
        end
        if (!v && idx < tx_n && p_rng[2:0] >= gap_level) begin
          v = 1'b1;
          wr_data <= tx_beats[idx];
        end
        wr_valid <= v;
        tx_idx   <= idx;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Monitors: beat pulses, done pulses, cycles with any AXI request valid
  logic [31:0] rd_pulses, wr_pulses, done_pulses, axi_req_cycles;

  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      rd_pulses      <= '0;
      wr_pulses      <= '0;
      done_pulses    <= '0;
      axi_req_cycles <= '0;
    end else begin
      if (beats_rd) rd_pulses <= rd_pulses + 32'd1;
      if (beats_wr) wr_pulses <= wr_pulses + 32'd1;
      if (done) done_pulses <= done_pulses + 32'd1;
      if (arvalid || awvalid || wvalid) axi_req_cycles <= axi_req_cycles + 32'd1;
      if (beats_rd !== (rvalid && rready)) $fatal(1, "qsa_dma_tb: beats_rd_o is not R handshake");
      if (beats_wr !== (wvalid && wready)) $fatal(1, "qsa_dma_tb: beats_wr_o is not W handshake");
    end
  end

  // ---------------------------------------------------------------------------------------
  // Golden memory, random numbers, statistics
  logic [7:0]  gold [MemBytes];
  logic [31:0] rng = 32'h1;
  int          plan_len [MaxCmdBeats];   // burst plan of the current command
  int          n_reads = 0, n_writes = 0, n_window = 0, n_axi_err = 0, n_bytes = 0;
  int          n_bursts = 0;
  int          last_cmd_cycles = 0;
  int          last_cmd_bursts = 0;

  // Uniform in [0, n). It advances the shared generator, so it is only ever called as the
  // whole right-hand side of an assignment: simulators differ in how often (and in which
  // order) they evaluate calls inside case selectors, ternaries and argument lists.
  function automatic int urand(input int n);
    rng   = qsa_tb_pkg::xorshift32(rng);
    urand = int'(rng % 32'(n));
  endfunction

  function automatic int mem_off(input logic [AddrWidth-1:0] a);
    mem_off = int'(a - MemBase);
  endfunction

  task automatic check_mem_range(input int lo, input int hi);  // byte offsets [lo, hi)
    if (lo < 0) lo = 0;
    if (hi > MemBytes) hi = MemBytes;
    for (int i = lo; i < hi; i++) begin
      if (u_mem.mem[i] !== gold[i]) begin
        $fatal(1, "qsa_dma_tb: memory byte at %h is %h, expected %h", MemBase + AddrWidth'(i),
               u_mem.mem[i], gold[i]);
      end
    end
  endtask

  // One command: prepares data and expectations, runs it, checks everything.
  //   err_beat_addr: when inj_en is set, the beat address the slave fails on.
  task automatic run_cmd(input logic write, input logic [AddrWidth-1:0] addr, input int len,
                         input logic [AddrWidth-1:0] wbase, input logic [AddrWidth-1:0] wlimit);
    logic [63:0]          end_addr;
    logic                 in_win;
    logic [AddrWidth-1:0] base_al;
    int                   nb, nbursts, beat, left, page_left, l;
    int                   err_rel, err_burst, stop_beats, bursts_issued, rx_want;
    int                   exp_code;
    logic [AddrWidth-1:0] exp_addr;
    logic [31:0]          ar0, aw0, r0, w0, b0, rp0, wp0, dp0, rq0;
    int                   t0, t1;

    // Expectations
    end_addr = 64'(addr) + 64'(len);
    in_win   = (addr >= wbase) && (end_addr <= 64'(wlimit));
    base_al  = addr & ~AddrWidth'(StrbWidth - 1);
    nb       = (len == 0) ? 0 : ((int'(addr[OffWidth-1:0]) + len - 1) / StrbWidth + 1);
    if (nb > MaxCmdBeats) $fatal(1, "qsa_dma_tb: test command too long");
    nbursts = 0;
    beat    = int'(base_al[11:0]) / StrbWidth;  // beat within the 4 KiB page
    left    = nb;
    while (left > 0) begin
      page_left = PageBeats - (beat % PageBeats);
      l = left;
      if (l > MaxBurst) l = MaxBurst;
      if (l > page_left) l = page_left;
      plan_len[nbursts] = l;
      nbursts++;
      beat += l;
      left -= l;
    end
    err_rel = -1;
    if (inj_en && nb > 0) begin
      err_rel = int'((inj_addr >> OffWidth) - (base_al >> OffWidth));
      if (err_rel >= nb || (inj_addr >> OffWidth) < (base_al >> OffWidth)) err_rel = -1;
    end
    exp_code      = 0;
    exp_addr      = addr;
    stop_beats    = nb;
    bursts_issued = nbursts;
    rx_want       = nb;
    if (len == 0) begin
      stop_beats    = 0;
      bursts_issued = 0;
    end else if (!in_win) begin
      exp_code      = 1;
      stop_beats    = 0;
      bursts_issued = 0;
      rx_want       = 0;
    end else if (err_rel >= 0) begin
      exp_code   = 2;
      stop_beats = 0;
      err_burst  = 0;
      while (stop_beats + plan_len[err_burst] <= err_rel) begin
        stop_beats += plan_len[err_burst];
        err_burst++;
      end
      stop_beats   += plan_len[err_burst];
      bursts_issued = err_burst + 1;
      // A read requests its next burst while the current one streams (MaxReads > 1), and the
      // slave model takes one burst at a time, so the next burst's AR is waiting when the error
      // beat arrives: AXI does not let a valid AR be withdrawn, so that burst is issued and
      // drained too. No burst after it is requested.
      if (!write && MaxReads > 1 && bursts_issued < nbursts) begin
        stop_beats   += plan_len[bursts_issued];
        bursts_issued = bursts_issued + 1;
      end
      if (write) begin
        exp_addr = base_al + AddrWidth'((stop_beats - plan_len[err_burst]) * StrbWidth);
      end else begin
        exp_addr = base_al + AddrWidth'(err_rel * StrbWidth);
        rx_want  = err_rel;
      end
    end

    // Write data: every lane random, lanes outside [addr, addr+len) must not be written.
    if (write) begin
      for (int i = 0; i < nb; i++) begin
        for (int b = 0; b < StrbWidth; b++) begin
          int r;
          r = urand(256);
          tx_beats[i][b*8 +: 8] = 8'(r);
        end
      end
    end

    ar0 = ar_cnt;
    aw0 = aw_cnt;
    r0  = r_cnt;
    w0  = w_cnt;
    b0  = b_cnt;
    rp0 = rd_pulses;
    wp0 = wr_pulses;
    dp0 = done_pulses;
    rq0 = axi_req_cycles;

    rx_expect = nb;
    rx_en     = !write;
    tx_n      = write ? nb : 0;
    tx_en     = write;
    cmd_valid = 1'b1;
    cmd_write = write;
    cmd_addr  = addr;
    cmd_len   = LenWidth'(len);
    win_base  = wbase;
    win_limit = wlimit;
    t0 = int'(cycles);
    while (!cmd_ready) begin
      @(negedge clk);
      if (int'(cycles) - t0 > CmdTimeout) $fatal(1, "qsa_dma_tb: command not accepted");
    end
    @(negedge clk);  // accepted at the rising edge just passed
    cmd_valid = 1'b0;
    cmd_addr  = 'x;
    cmd_len   = 'x;
    cmd_write = 1'bx;
    win_base  = 'x;
    win_limit = 'x;
    t0 = int'(cycles);
    while (!done) begin
      @(negedge clk);
      if (int'(cycles) - t0 > CmdTimeout) begin
        $fatal(1, "qsa_dma_tb: no done for %s addr %h len %0d", write ? "write" : "read", addr,
               len);
      end
    end
    t1 = int'(cycles);
    last_cmd_cycles = t1 - t0 + 1;
    if (err !== (exp_code != 0) || err_code !== 2'(exp_code) || err_addr !== exp_addr) begin
      $fatal(1, "qsa_dma_tb: %s addr %h len %0d: err=%b code=%0d addr=%h, expected code %0d addr %h",
             write ? "write" : "read", addr, len, err, err_code, err_addr, exp_code, exp_addr);
    end
    @(negedge clk);
    rx_en = 1'b0;
    tx_en = 1'b0;

    // Transfers seen by the slave and by the beat pulses
    if (done_pulses - dp0 !== 32'd1) $fatal(1, "qsa_dma_tb: %0d done pulses", done_pulses - dp0);
    if (ar_cnt - ar0 !== 32'(write ? 0 : bursts_issued) ||
        aw_cnt - aw0 !== 32'(write ? bursts_issued : 0) ||
        b_cnt - b0 !== 32'(write ? bursts_issued : 0) ||
        r_cnt - r0 !== 32'(write ? 0 : stop_beats) ||
        w_cnt - w0 !== 32'(write ? stop_beats : 0)) begin
      $fatal(1, "qsa_dma_tb: %s addr %h len %0d: AR %0d AW %0d B %0d R %0d W %0d, expected %0d bursts %0d beats",
             write ? "write" : "read", addr, len, ar_cnt - ar0, aw_cnt - aw0, b_cnt - b0,
             r_cnt - r0, w_cnt - w0, bursts_issued, stop_beats);
    end
    if (rd_pulses - rp0 !== r_cnt - r0 || wp0 + (w_cnt - w0) !== wr_pulses) begin
      $fatal(1, "qsa_dma_tb: beat pulses %0d/%0d, slave saw %0d/%0d", rd_pulses - rp0,
             wr_pulses - wp0, r_cnt - r0, w_cnt - w0);
    end
    if (stop_beats == 0 && axi_req_cycles != rq0) begin
      $fatal(1, "qsa_dma_tb: AXI request valid during a command without transfers");
    end

    // Data
    if (write) begin
      if (tx_idx !== stop_beats) begin
        $fatal(1, "qsa_dma_tb: producer gave %0d beats, expected %0d", tx_idx, stop_beats);
      end
      for (int i = 0; i < stop_beats; i++) begin
        if (i != err_rel) begin
          for (int b = 0; b < StrbWidth; b++) begin
            logic [AddrWidth-1:0] a;
            a = base_al + AddrWidth'(i * StrbWidth + b);
            if (a >= addr && 64'(a) < end_addr) gold[mem_off(a)] = tx_beats[i][b*8 +: 8];
          end
        end
      end
      if (stop_beats > 0) check_mem_range(mem_off(base_al) - 64, mem_off(base_al) + nb * 8 + 64);
    end else begin
      if (rx_n !== rx_want) $fatal(1, "qsa_dma_tb: %0d read beats, expected %0d", rx_n, rx_want);
      for (int i = 0; i < rx_want; i++) begin
        for (int b = 0; b < StrbWidth; b++) begin
          int o;
          o = mem_off(base_al) + i * StrbWidth + b;
          if (rx_beats[i][b*8 +: 8] !== gold[o]) begin
            $fatal(1, "qsa_dma_tb: read addr %h len %0d: beat %0d byte %0d is %h, expected %h",
                   addr, len, i, b, rx_beats[i][b*8 +: 8], gold[o]);
          end
        end
      end
    end

    if (write) n_writes++;
    else       n_reads++;
    if (exp_code == 1) n_window++;
    if (exp_code == 2) n_axi_err++;
    n_bytes  += int'(r_cnt - r0 + w_cnt - w0) * StrbWidth;
    n_bursts += bursts_issued;
    last_cmd_bursts = bursts_issued;
    @(negedge clk);  // consumer and producer see rx_en/tx_en low and clear their counts
  endtask

  // A command inside the whole memory window.
  task automatic run_ok(input logic write, input logic [AddrWidth-1:0] addr, input int len);
    run_cmd(write, addr, len, MemBase, MemEnd);
  endtask

  task automatic set_levels(input int mem_s, input int bp, input int gap);
    mem_stall = 3'(mem_s);
    bp_level  = 3'(bp);
    gap_level = 3'(gap);
  endtask

  task automatic random_levels;
    int r0, r1, r2, r3;
    r0 = urand(4);
    r1 = urand(8);
    r2 = urand(8);
    r3 = urand(8);
    if (r0 == 0) set_levels(0, 0, 0);
    else         set_levels(r1, r2, r3);
  endtask

  // ---------------------------------------------------------------------------------------
  initial begin
    int seed;
    int cmds;
    int min_bb;
    seed = 1;
    cmds = 600;
    if ($value$plusargs("seed=%d", seed)) $display("qsa_dma_tb: seed %0d", seed);
    if ($value$plusargs("cmds=%d", cmds)) $display("qsa_dma_tb: %0d random commands", cmds);
    rng = qsa_tb_pkg::xorshift32(32'(seed) ^ 32'hA5A5_1234);
    if (rng == '0) rng = 32'h1;

    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    for (int i = 0; i < MemBytes; i++) gold[i] = u_mem.mem[i];

    // 1. Every alignment and short length, reads and writes, idle and stalled.
    for (int s = 0; s < 2; s++) begin
      if (s == 0) set_levels(0, 0, 0);
      else        set_levels(5, 4, 4);
      for (int off = 0; off < 2 * StrbWidth; off++) begin
        for (int len = 1; len <= 3 * StrbWidth + 1; len++) begin
          run_ok(1'b1, MemBase + 32'h100 + AddrWidth'(off), len);
          run_ok(1'b0, MemBase + 32'h100 + AddrWidth'(off), len);
        end
      end
    end
    check_mem_range(0, MemBytes);

    // 2. Zero length: done at once, no transfer, no error.
    run_ok(1'b0, MemBase + 32'h40, 0);
    run_ok(1'b1, MemBase + 32'h40, 0);

    // 3. Window edges: exact fit passes, one byte over either edge fails, wrap fails.
    set_levels(2, 2, 2);
    for (int w = 0; w < 2; w++) begin
      logic [AddrWidth-1:0] a;
      a = MemBase + 32'h1003;
      run_cmd(w[0], a, 100, a, a + 32'd100);                 // exact fit
      run_cmd(w[0], a, 100, a + 32'd1, a + 32'd100);         // starts below the base
      run_cmd(w[0], a, 100, a, a + 32'd99);                  // ends above the limit
      run_cmd(w[0], a, 1, a + 32'd1, a + 32'd2);             // one byte below
      run_cmd(w[0], a, 1, a - 32'd10, a);                    // one byte at the limit
      run_cmd(w[0], 32'hFFFF_FFF0, 32, 32'hFFFF_0000, 32'hFFFF_FFFF);  // wraps past 2^32
      run_cmd(w[0], MemBase, 16, 32'h0, 32'h0);              // empty window
      run_cmd(w[0], MemBase + 32'h10, 4, 32'h0, 32'hFFFF_FFFF);  // everything
    end

    // 4. 4 KiB crossings: every beat offset around a page boundary, and long commands.
    set_levels(0, 0, 0);
    for (int k = 1; k <= MaxBurst + 2; k++) begin
      run_ok(1'b1, MemBase + 32'h2000 - AddrWidth'(k * StrbWidth) + AddrWidth'(k % StrbWidth),
             (MaxBurst + 3) * StrbWidth);
      run_ok(1'b0, MemBase + 32'h2000 - AddrWidth'(k * StrbWidth) + AddrWidth'(k % StrbWidth),
             (MaxBurst + 3) * StrbWidth);
    end
    // Full-speed throughput on a long read: at most 2 cycles of overhead per burst.
    run_ok(1'b0, MemBase + 32'h0F00, 20000);
    if (last_cmd_cycles > (20000 / StrbWidth + 1) + 2 * last_cmd_bursts) begin
      $fatal(1, "qsa_dma_tb: full-speed read too slow: %0d cycles", last_cmd_cycles);
    end
    $display("qsa_dma_tb: 20000-byte read at full speed: %0d cycles for %0d beats",
             last_cmd_cycles, 20000 / StrbWidth + 1);
    set_levels(6, 5, 5);
    run_ok(1'b1, MemBase + 32'h3FF7, 9000);
    run_ok(1'b0, MemBase + 32'h3FF1, 9000);
    check_mem_range(0, MemBytes);

    // 5. Error responses on R and B: first beat, a beat in a middle burst, the last beat;
    //    SLVERR and DECERR. The next command must work normally.
    for (int w = 0; w < 2; w++) begin
      for (int pos = 0; pos < 3; pos++) begin
        logic [AddrWidth-1:0] a;
        int                   len;
        a   = MemBase + 32'h5005;
        len = 40 * StrbWidth;
        inj_en   = 1'b1;
        inj_resp = (pos == 1) ? 2'b11 : 2'b10;
        if (pos == 0)      inj_addr = a & ~AddrWidth'(StrbWidth - 1);
        else if (pos == 1) inj_addr = (a & ~AddrWidth'(StrbWidth - 1)) + AddrWidth'(20 * StrbWidth);
        else               inj_addr = (a + AddrWidth'(len - 1)) & ~AddrWidth'(StrbWidth - 1);
        set_levels(pos * 3, pos * 2, pos * 2);
        run_ok(w[0], a, len);
        inj_en = 1'b0;
        // read back: bursts before the failing one are written, the failing beat is not (the
        // model drops it; run_cmd updates the golden copy the same way)
        run_ok(1'b0, a, len);
        run_ok(w[0], a + 32'd3, len);
      end
    end
    // error address outside the command: no error
    inj_en   = 1'b1;
    inj_addr = MemBase + 32'h9000;
    run_ok(1'b0, MemBase + 32'h8000, 64);
    run_ok(1'b1, MemBase + 32'h8000, 64);
    inj_en = 1'b0;

    // 6. Random commands.
    for (int i = 0; i < cmds; i++) begin
      logic                 write;
      int                   len;
      logic [AddrWidth-1:0] a;
      int                   kind;
      int                   r0, r1, r2;
      r0    = urand(2);
      write = (r0 == 1);
      r0    = urand(4);
      r1    = urand(24);
      r2    = urand(2000);
      len   = (r0 == 0) ? 1 + r1 : 1 + r2;
      kind  = urand(16);
      if (kind < 4) begin
        // straddle a 4 KiB boundary
        int page;
        page = urand(MemBytes / 4096 - 1);
        r0   = urand(len);
        a    = MemBase + AddrWidth'((page + 1) * 4096 - 1 - r0);
        if (mem_off(a) + len > MemBytes) a = MemEnd - AddrWidth'(len);
      end else begin
        r0 = urand(MemBytes - len + 1);
        a  = MemBase + AddrWidth'(r0);
      end
      if (i % 8 == 0) random_levels();
      if (kind == 15) begin
        // window violation by a few bytes on either side, or an error response
        r0 = urand(3);
        r1 = urand(8);
        r2 = urand(len);
        case (r0)
          0: run_cmd(write, a, len, a + AddrWidth'(1 + r1), MemEnd);
          1: run_cmd(write, a, len, MemBase, a + AddrWidth'(len - 1 - r2));
          default: begin
            inj_en   = 1'b1;
            inj_resp = 2'b10;
            inj_addr = a + AddrWidth'(r2);
            run_ok(write, a, len);
            inj_en = 1'b0;
            if (write) run_ok(1'b0, a, len);  // read back
          end
        endcase
      end else begin
        run_ok(write, a, len);
      end
      if (i % 100 == 99) check_mem_range(0, MemBytes);
    end
    check_mem_range(0, MemBytes);

    if (int'(max_burst) != MaxBurst) begin
      $fatal(1, "qsa_dma_tb: longest burst %0d, expected MaxBurst %0d", max_burst, MaxBurst);
    end
    min_bb = (MaxBurst > 1) ? 10 : 0;  // a 1-beat burst never counts as a split
    if (int'(page_splits) < min_bb) $fatal(1, "qsa_dma_tb: only %0d 4 KiB splits", page_splits);
    $display("PASS qsa_dma_tb: MaxBurst %0d, %0d reads, %0d writes (%0d window errors, %0d AXI errors), %0d bursts, %0d bytes on AXI, %0d 4 KiB splits, %0d cycles",
             MaxBurst, n_reads, n_writes, n_window, n_axi_err, n_bursts, n_bytes, page_splits,
             cycles);
    $finish;
  end
endmodule
