// Behavioural AXI4 slave memory for testbenches (not synthesizable).
//
// - MemBytes bytes of memory at [MemBase, MemBase + MemBytes), byte array `mem` (testbenches
//   read it hierarchically). Filled at time 0 with a fixed pseudo-random pattern of Seed.
// - One read burst and one write burst at a time (ARREADY/AWREADY low while one is active;
//   AWREADY stays low until the previous B is accepted). INCR bursts only.
// - Random timing from fixed-seed xorshift generators, one per channel: with stall_i = s, each
//   ready/valid the model drives is held off in a cycle with probability s/8, R data starts
//   0..7 cycles after AR and B comes 0..7 cycles after the last W beat, and R bursts get gaps
//   of 0..7 cycles between beats. stall_i = 0 gives full throughput and no latency.
// - Error injection: with err_en_i, an R beat at the beat-aligned address err_addr_i returns
//   err_resp_i (SLVERR 2'b10 or DECERR 2'b11); a W beat at that address is NOT written and the
//   burst's B returns err_resp_i.
// - Protocol checks ($fatal): AxVALID/WVALID held until ready with a stable payload; WLAST on
//   exactly the last beat of the burst; AxBURST = INCR, AxSIZE = full width, AxADDR beat-aligned,
//   at most MaxBurst beats, no burst crossing a 4 KiB boundary, IDs 0, every byte inside the
//   memory.
// - Counters of handshakes per channel, the longest burst seen and the number of bursts that
//   end on a 4 KiB boundary while shorter than MaxBurst (4 KiB splits).
module qsa_axi_mem_model #(
  parameter int AddrWidth = 32,
  parameter int DataWidth = 64,
  parameter int IdWidth = 1,
  parameter logic [AddrWidth-1:0] MemBase = '0,
  parameter int MemBytes = 65536,  // power of two
  parameter int MaxBurst = 256,    // checked: no burst longer than this
  parameter int Seed = 1,
  localparam int StrbWidth = DataWidth / 8,
  localparam int OffWidth = $clog2(StrbWidth)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  input  logic [2:0]           stall_i,
  input  logic                 err_en_i,
  input  logic [AddrWidth-1:0] err_addr_i,
  input  logic [1:0]           err_resp_i,

  output logic [31:0]          ar_cnt_o,
  output logic [31:0]          aw_cnt_o,
  output logic [31:0]          r_cnt_o,
  output logic [31:0]          w_cnt_o,
  output logic [31:0]          b_cnt_o,
  output logic [31:0]          max_burst_o,
  output logic [31:0]          page_splits_o,

  input  logic [IdWidth-1:0]   s_axi_awid_i,
  input  logic [AddrWidth-1:0] s_axi_awaddr_i,
  input  logic [7:0]           s_axi_awlen_i,
  input  logic [2:0]           s_axi_awsize_i,
  input  logic [1:0]           s_axi_awburst_i,
  input  logic                 s_axi_awlock_i,
  input  logic [3:0]           s_axi_awcache_i,
  input  logic [2:0]           s_axi_awprot_i,
  input  logic [3:0]           s_axi_awqos_i,
  input  logic                 s_axi_awvalid_i,
  output logic                 s_axi_awready_o,
  input  logic [DataWidth-1:0] s_axi_wdata_i,
  input  logic [StrbWidth-1:0] s_axi_wstrb_i,
  input  logic                 s_axi_wlast_i,
  input  logic                 s_axi_wvalid_i,
  output logic                 s_axi_wready_o,
  output logic [IdWidth-1:0]   s_axi_bid_o,
  output logic [1:0]           s_axi_bresp_o,
  output logic                 s_axi_bvalid_o,
  input  logic                 s_axi_bready_i,
  input  logic [IdWidth-1:0]   s_axi_arid_i,
  input  logic [AddrWidth-1:0] s_axi_araddr_i,
  input  logic [7:0]           s_axi_arlen_i,
  input  logic [2:0]           s_axi_arsize_i,
  input  logic [1:0]           s_axi_arburst_i,
  input  logic                 s_axi_arlock_i,
  input  logic [3:0]           s_axi_arcache_i,
  input  logic [2:0]           s_axi_arprot_i,
  input  logic [3:0]           s_axi_arqos_i,
  input  logic                 s_axi_arvalid_i,
  output logic                 s_axi_arready_o,
  output logic [IdWidth-1:0]   s_axi_rid_o,
  output logic [DataWidth-1:0] s_axi_rdata_o,
  output logic [1:0]           s_axi_rresp_o,
  output logic                 s_axi_rlast_o,
  output logic                 s_axi_rvalid_o,
  input  logic                 s_axi_rready_i
);

  localparam int AxPayloadWidth = IdWidth + AddrWidth + 8 + 3 + 2 + 1 + 4 + 3 + 4;
  localparam int WPayloadWidth = DataWidth + StrbWidth + 1;

  logic [7:0] mem [MemBytes];

  initial begin
    logic [31:0] r;
    r = 32'(Seed) ^ 32'h2545_F491;
    for (int i = 0; i < MemBytes; i++) begin
      r      = qsa_tb_pkg::xorshift32(r);
      mem[i] = r[7:0];
    end
  end

  // Byte offset into mem, and whether [addr, addr + nbytes) lies inside the memory.
  function automatic int mem_index(input logic [AddrWidth-1:0] addr);
    mem_index = int'(addr - MemBase) & (MemBytes - 1);
  endfunction
  function automatic logic in_mem(input logic [AddrWidth-1:0] addr, input int nbytes);
    logic [63:0] lo;
    logic [63:0] hi;
    lo = 64'(addr);
    hi = 64'(addr) + 64'(nbytes);
    in_mem = (lo >= 64'(MemBase)) && (hi <= 64'(MemBase) + 64'(MemBytes));
  endfunction
  function automatic logic is_err_beat(input logic [AddrWidth-1:0] addr);
    is_err_beat = err_en_i && ((addr >> OffWidth) == (err_addr_i >> OffWidth));
  endfunction

  // Checks common to AR and AW at their handshake.
  task automatic check_burst(input string ch, input logic [IdWidth-1:0] id,
                             input logic [AddrWidth-1:0] addr, input logic [7:0] len,
                             input logic [2:0] size, input logic [1:0] burst);
    int beats;
    beats = int'(len) + 1;
    if (burst !== 2'b01) $fatal(1, "axi_mem_model: %s burst type %b is not INCR", ch, burst);
    if (size !== 3'(OffWidth)) $fatal(1, "axi_mem_model: %s size %0d is not full width", ch, size);
    if (id !== '0) $fatal(1, "axi_mem_model: %s id %0d is not 0", ch, id);
    if ((addr & AddrWidth'(StrbWidth - 1)) != '0) begin
      $fatal(1, "axi_mem_model: %s address %h is not beat-aligned", ch, addr);
    end
    if (beats > MaxBurst) begin
      $fatal(1, "axi_mem_model: %s burst of %0d beats exceeds MaxBurst %0d", ch, beats, MaxBurst);
    end
    if (int'(addr[11:0]) + beats * StrbWidth > 4096) begin
      $fatal(1, "axi_mem_model: %s burst at %h of %0d beats crosses a 4 KiB boundary", ch, addr,
             beats);
    end
    if (!in_mem(addr, beats * StrbWidth)) begin
      $fatal(1, "axi_mem_model: %s burst at %h of %0d beats is outside the memory", ch, addr,
             beats);
    end
  endtask

  // ---------------------------------------------------------------------------------------
  // Random sources, one per channel
  logic [31:0] rnd_ar, rnd_r, rnd_aw, rnd_w, rnd_b;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rnd_ar <= 32'(Seed) ^ 32'h9E37_79B9;
      rnd_r  <= 32'(Seed) ^ 32'h7F4A_7C15;
      rnd_aw <= 32'(Seed) ^ 32'h94D0_49BB;
      rnd_w  <= 32'(Seed) ^ 32'hBF58_476D;
      rnd_b  <= 32'(Seed) ^ 32'h1CE4_E5B9;
    end else begin
      rnd_ar <= qsa_tb_pkg::xorshift32(rnd_ar);
      rnd_r  <= qsa_tb_pkg::xorshift32(rnd_r);
      rnd_aw <= qsa_tb_pkg::xorshift32(rnd_aw);
      rnd_w  <= qsa_tb_pkg::xorshift32(rnd_w);
      rnd_b  <= qsa_tb_pkg::xorshift32(rnd_b);
    end
  end

  function automatic logic stall(input logic [31:0] r);
    stall = (r[2:0] < stall_i);
  endfunction
  function automatic logic [7:0] delay(input logic [31:0] r);
    delay = (stall_i == 3'd0) ? 8'd0 : 8'(r[10:8]);
  endfunction

  // ---------------------------------------------------------------------------------------
  // Protocol: valid held until ready, payload stable meanwhile
  logic                      ar_pend, aw_pend, w_pend;
  logic [AxPayloadWidth-1:0] ar_saved, aw_saved;
  logic [WPayloadWidth-1:0]  w_saved;
  logic [AxPayloadWidth-1:0] ar_payload, aw_payload;
  logic [WPayloadWidth-1:0]  w_payload;

  assign ar_payload = {s_axi_arid_i, s_axi_araddr_i, s_axi_arlen_i, s_axi_arsize_i,
                       s_axi_arburst_i, s_axi_arlock_i, s_axi_arcache_i, s_axi_arprot_i,
                       s_axi_arqos_i};
  assign aw_payload = {s_axi_awid_i, s_axi_awaddr_i, s_axi_awlen_i, s_axi_awsize_i,
                       s_axi_awburst_i, s_axi_awlock_i, s_axi_awcache_i, s_axi_awprot_i,
                       s_axi_awqos_i};
  assign w_payload  = {s_axi_wdata_i, s_axi_wstrb_i, s_axi_wlast_i};

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_pend  <= 1'b0;
      aw_pend  <= 1'b0;
      w_pend   <= 1'b0;
      ar_saved <= '0;
      aw_saved <= '0;
      w_saved  <= '0;
    end else begin
      if (ar_pend && (s_axi_arvalid_i !== 1'b1 || ar_payload !== ar_saved)) begin
        $fatal(1, "axi_mem_model: ARVALID dropped or AR payload changed before ARREADY");
      end
      if (aw_pend && (s_axi_awvalid_i !== 1'b1 || aw_payload !== aw_saved)) begin
        $fatal(1, "axi_mem_model: AWVALID dropped or AW payload changed before AWREADY");
      end
      if (w_pend && (s_axi_wvalid_i !== 1'b1 || w_payload !== w_saved)) begin
        $fatal(1, "axi_mem_model: WVALID dropped or W payload changed before WREADY");
      end
      ar_pend  <= s_axi_arvalid_i && !s_axi_arready_o;
      aw_pend  <= s_axi_awvalid_i && !s_axi_awready_o;
      w_pend   <= s_axi_wvalid_i && !s_axi_wready_o;
      ar_saved <= ar_payload;
      aw_saved <= aw_payload;
      w_saved  <= w_payload;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Statistics
  logic [31:0] max_burst_q, page_splits_q;

  function automatic logic page_split(input logic [AddrWidth-1:0] addr, input logic [7:0] len);
    page_split = (int'(len) + 1 < MaxBurst) &&
                 (int'(addr[11:0]) + (int'(len) + 1) * StrbWidth == 4096);
  endfunction

  always @(posedge clk_i or negedge rst_ni) begin : p_stats
    logic [31:0] mx;
    logic [31:0] sp;
    if (!rst_ni) begin
      max_burst_q   <= '0;
      page_splits_q <= '0;
    end else begin
      mx = max_burst_q;
      sp = page_splits_q;
      if (s_axi_arvalid_i === 1'b1 && s_axi_arready_o) begin
        if (32'(s_axi_arlen_i) + 32'd1 > mx) mx = 32'(s_axi_arlen_i) + 32'd1;
        if (page_split(s_axi_araddr_i, s_axi_arlen_i)) sp = sp + 32'd1;
      end
      if (s_axi_awvalid_i === 1'b1 && s_axi_awready_o) begin
        if (32'(s_axi_awlen_i) + 32'd1 > mx) mx = 32'(s_axi_awlen_i) + 32'd1;
        if (page_split(s_axi_awaddr_i, s_axi_awlen_i)) sp = sp + 32'd1;
      end
      max_burst_q   <= mx;
      page_splits_q <= sp;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Read channel
  logic                 arready_q, rvalid_q, rlast_q, rd_busy_q;
  logic [DataWidth-1:0] rdata_q;
  logic [1:0]           rresp_q;
  logic [AddrWidth-1:0] rd_addr_q;
  logic [8:0]           rd_left_q;
  logic [7:0]           rd_wait_q;
  logic [31:0]          ar_cnt_q, r_cnt_q;

  always @(posedge clk_i or negedge rst_ni) begin : p_read
    logic                 busy, rv;
    logic [AddrWidth-1:0] addr;
    logic [8:0]           left;
    logic [7:0]           wait_c;
    logic [DataWidth-1:0] d;
    if (!rst_ni) begin
      arready_q     <= 1'b0;
      rvalid_q      <= 1'b0;
      rlast_q       <= 1'b0;
      rd_busy_q     <= 1'b0;
      rdata_q       <= '0;
      rresp_q       <= 2'b00;
      rd_addr_q     <= '0;
      rd_left_q     <= '0;
      rd_wait_q     <= '0;
      ar_cnt_q      <= '0;
      r_cnt_q       <= '0;
    end else begin
      busy   = rd_busy_q;
      rv     = rvalid_q;
      addr   = rd_addr_q;
      left   = rd_left_q;
      wait_c = rd_wait_q;
      if (rvalid_q && s_axi_rready_i === 1'b1) begin
        r_cnt_q <= r_cnt_q + 32'd1;
        rv = 1'b0;
        if (rlast_q) busy = 1'b0;
      end
      if (s_axi_arvalid_i === 1'b1 && arready_q) begin
        check_burst("AR", s_axi_arid_i, s_axi_araddr_i, s_axi_arlen_i, s_axi_arsize_i,
                    s_axi_arburst_i);
        ar_cnt_q <= ar_cnt_q + 32'd1;
        busy   = 1'b1;
        addr   = s_axi_araddr_i;
        left   = 9'(s_axi_arlen_i) + 9'd1;
        wait_c = delay(rnd_r);
      end
      if (busy && !rv) begin
        if (wait_c != 8'd0) begin
          wait_c = wait_c - 8'd1;
        end else if (!stall(rnd_r)) begin
          for (int b = 0; b < StrbWidth; b++) d[b*8 +: 8] = mem[mem_index(addr) + b];
          rv = 1'b1;
          rdata_q <= d;
          rresp_q <= is_err_beat(addr) ? err_resp_i : 2'b00;
          rlast_q <= (left == 9'd1);
          addr    = addr + AddrWidth'(StrbWidth);
          left    = left - 9'd1;
          wait_c  = (rnd_r[5:3] < stall_i) ? 8'(rnd_r[13:11]) : 8'd0;
        end
      end
      rd_busy_q <= busy;
      rvalid_q  <= rv;
      rd_addr_q <= addr;
      rd_left_q <= left;
      rd_wait_q <= wait_c;
      arready_q <= !busy && !stall(rnd_ar);
    end
  end

  // ---------------------------------------------------------------------------------------
  // Write channels
  logic                 awready_q, wready_q, bvalid_q, wr_busy_q, b_pend_q, wr_err_q;
  logic [1:0]           bresp_q;
  logic [AddrWidth-1:0] wr_addr_q;
  logic [8:0]           wr_left_q;
  logic [7:0]           b_wait_q;
  logic [31:0]          aw_cnt_q, w_cnt_q, b_cnt_q;

  always @(posedge clk_i or negedge rst_ni) begin : p_write
    logic                 busy, bpend, bv, werr;
    logic [AddrWidth-1:0] addr;
    logic [8:0]           left;
    logic [7:0]           wait_c;
    if (!rst_ni) begin
      awready_q <= 1'b0;
      wready_q  <= 1'b0;
      bvalid_q  <= 1'b0;
      wr_busy_q <= 1'b0;
      b_pend_q  <= 1'b0;
      wr_err_q  <= 1'b0;
      bresp_q   <= 2'b00;
      wr_addr_q <= '0;
      wr_left_q <= '0;
      b_wait_q  <= '0;
      aw_cnt_q  <= '0;
      w_cnt_q   <= '0;
      b_cnt_q   <= '0;
    end else begin
      busy   = wr_busy_q;
      bpend  = b_pend_q;
      bv     = bvalid_q;
      werr   = wr_err_q;
      addr   = wr_addr_q;
      left   = wr_left_q;
      wait_c = b_wait_q;
      if (bvalid_q && s_axi_bready_i === 1'b1) begin
        b_cnt_q <= b_cnt_q + 32'd1;
        bv    = 1'b0;
        bpend = 1'b0;
      end
      if (s_axi_awvalid_i === 1'b1 && awready_q) begin
        check_burst("AW", s_axi_awid_i, s_axi_awaddr_i, s_axi_awlen_i, s_axi_awsize_i,
                    s_axi_awburst_i);
        aw_cnt_q <= aw_cnt_q + 32'd1;
        busy = 1'b1;
        werr = 1'b0;
        addr = s_axi_awaddr_i;
        left = 9'(s_axi_awlen_i) + 9'd1;
      end
      if (s_axi_wvalid_i === 1'b1 && wready_q) begin
        w_cnt_q <= w_cnt_q + 32'd1;
        if (s_axi_wlast_i !== (left == 9'd1)) begin
          $fatal(1, "axi_mem_model: WLAST=%b on a beat with %0d beats left in the burst",
                 s_axi_wlast_i, left);
        end
        if (is_err_beat(addr)) begin
          werr = 1'b1;
        end else begin
          for (int b = 0; b < StrbWidth; b++) begin
            if (s_axi_wstrb_i[b]) mem[mem_index(addr) + b] = s_axi_wdata_i[b*8 +: 8];
          end
        end
        addr = addr + AddrWidth'(StrbWidth);
        left = left - 9'd1;
        if (left == 9'd0) begin
          busy   = 1'b0;
          bpend  = 1'b1;
          wait_c = delay(rnd_b);
        end
      end
      if (bpend && !bv) begin
        if (wait_c != 8'd0) begin
          wait_c = wait_c - 8'd1;
        end else if (!stall(rnd_b)) begin
          bv = 1'b1;
          bresp_q <= werr ? err_resp_i : 2'b00;
        end
      end
      wr_busy_q <= busy;
      b_pend_q  <= bpend;
      bvalid_q  <= bv;
      wr_err_q  <= werr;
      wr_addr_q <= addr;
      wr_left_q <= left;
      b_wait_q  <= wait_c;
      awready_q <= !busy && !bpend && !stall(rnd_aw);
      wready_q  <= busy && !stall(rnd_w);
    end
  end

  assign s_axi_arready_o = arready_q;
  assign s_axi_rvalid_o  = rvalid_q;
  assign s_axi_rdata_o   = rdata_q;
  assign s_axi_rresp_o   = rresp_q;
  assign s_axi_rlast_o   = rlast_q;
  assign s_axi_rid_o     = '0;
  assign s_axi_awready_o = awready_q;
  assign s_axi_wready_o  = wready_q;
  assign s_axi_bvalid_o  = bvalid_q;
  assign s_axi_bresp_o   = bresp_q;
  assign s_axi_bid_o     = '0;

  assign ar_cnt_o      = ar_cnt_q;
  assign aw_cnt_o      = aw_cnt_q;
  assign r_cnt_o       = r_cnt_q;
  assign w_cnt_o       = w_cnt_q;
  assign b_cnt_o       = b_cnt_q;
  assign max_burst_o   = max_burst_q;
  assign page_splits_o = page_splits_q;

endmodule
