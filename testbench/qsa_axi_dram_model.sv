// Behavioural AXI4 slave memory with the timing of the co-simulation's AxiDram (sim/src/
// axi_dram.cc) in its default use: no random stalls, no bandwidth limit, no error injection.
// Not synthesizable. Used by qsa_top_sim_tb so that Icarus runs the same cycles as the Verilated
// qsa_top does in Accel (bench/sim_speed.py compares the two).
//
// Timing, as AxiDram (outputs are registers, computed at each rising edge from the state that
// edge leaves):
//  - ARREADY while fewer than MaxReads read bursts are outstanding. The first R beat of a burst
//    is valid ReadLatency cycles after its AR handshake, then one beat per cycle unless RREADY is
//    low; bursts answer in order, back to back.
//  - AWREADY while fewer than MaxWrites write bursts are outstanding (AW accepted to B taken).
//    WREADY while a burst whose AW was accepted still has W beats to take (in AW order). B is
//    valid at max(AW cycle + WriteLatency, last W cycle + 1), in order.
//  - A beat shown (R, B) stays until taken. R data is read when the beat is shown, after the
//    writes of the same edge.
// Memory: MemBytes bytes from DRAM address Base (a 64-bit word per entry, word 0 at Base), zero
// until written, preloaded with $readmemh from the file named by +dram=<file> if given (64-bit
// words, @<word index> lines). Any access outside it, an AxSIZE other than 8 bytes, a burst type
// other than INCR, a burst crossing 4 KiB, a WLAST on the wrong beat or a valid/payload dropped
// before ready is a $fatal: the accelerator must never do it.
module qsa_axi_dram_model #(
  parameter logic [31:0] Base = 32'h0,
  parameter int MemBytes = 16 * 1024 * 1024,
  parameter int ReadLatency = 20,
  parameter int WriteLatency = 20,
  parameter int MaxReads = 8,
  parameter int MaxWrites = 8,
  localparam int Words = MemBytes / 8
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [31:0] awaddr_i,
  input  logic [7:0]  awlen_i,
  input  logic [2:0]  awsize_i,
  input  logic [1:0]  awburst_i,
  input  logic        awvalid_i,
  output logic        awready_o,
  input  logic [63:0] wdata_i,
  input  logic [7:0]  wstrb_i,
  input  logic        wlast_i,
  input  logic        wvalid_i,
  output logic        wready_o,
  output logic [1:0]  bresp_o,
  output logic        bvalid_o,
  input  logic        bready_i,
  input  logic [31:0] araddr_i,
  input  logic [7:0]  arlen_i,
  input  logic [2:0]  arsize_i,
  input  logic [1:0]  arburst_i,
  input  logic        arvalid_i,
  output logic        arready_o,
  output logic [63:0] rdata_o,
  output logic [1:0]  rresp_o,
  output logic        rlast_o,
  output logic        rvalid_o,
  input  logic        rready_i
);

  bit [63:0] mem [Words];

  initial begin
    string file;
    if ($value$plusargs("dram=%s", file)) $readmemh(file, mem);
  end

  // Word index of a byte address; $fatal outside the memory.
  function automatic int word_of(input logic [31:0] addr);
    if (addr < Base || 64'(addr) - 64'(Base) >= 64'(MemBytes)) begin
      $fatal(1, "qsa_axi_dram_model: address %h is outside the memory", addr);
    end
    word_of = int'((addr - Base) >> 3);
  endfunction

  task automatic check_burst(input string ch, input logic [31:0] addr, input logic [7:0] len,
                             input logic [2:0] size, input logic [1:0] burst);
    if (size != 3'd3) $fatal(1, "qsa_axi_dram_model: %s size %0d is not 8 bytes", ch, size);
    if (burst != 2'b01) $fatal(1, "qsa_axi_dram_model: %s burst type %b is not INCR", ch, burst);
    if (((addr & ~32'd7) >> 12) != (((addr & ~32'd7) + 32'(len) * 32'd8) >> 12)) begin
      $fatal(1, "qsa_axi_dram_model: %s burst at %h of %0d beats crosses 4 KiB", ch, addr,
             int'(len) + 1);
    end
  endtask

  // Outstanding bursts: circular queues (head index, count).
  logic [31:0] rq_addr [MaxReads];   // aligned address of beat 0
  int          rq_beats[MaxReads];
  int          rq_next [MaxReads];   // beats taken
  longint      rq_ready[MaxReads];   // first cycle the first beat may be shown
  int          rq_head, rq_count;
  logic [31:0] wq_addr [MaxWrites];  // AW accepted, W beats to come
  int          wq_beats[MaxWrites];
  int          wq_next [MaxWrites];
  longint      wq_acc  [MaxWrites];  // cycle of the AW handshake
  int          wq_head, wq_count;
  longint      bq_at   [MaxWrites];  // all W beats in, B to come: first cycle B may be shown
  int          bq_head, bq_count;
  longint      now;
  logic        ar_pend, aw_pend, w_pend;  // valid without ready in the last cycle

  always @(posedge clk_i or negedge rst_ni) begin : p_dram
    int     i, w;
    logic   r_hold, b_hold;
    logic [31:0] beat;
    bit   [63:0] data;
    if (!rst_ni) begin
      rq_head = 0; rq_count = 0; wq_head = 0; wq_count = 0; bq_head = 0; bq_count = 0;
      now = 0;
      ar_pend <= 1'b0; aw_pend <= 1'b0; w_pend <= 1'b0;
      arready_o <= 1'b1; awready_o <= 1'b1; wready_o <= 1'b0;
      rvalid_o <= 1'b0; rdata_o <= '0; rresp_o <= 2'b00; rlast_o <= 1'b0;
      bvalid_o <= 1'b0; bresp_o <= 2'b00;
    end else begin
      if (ar_pend && !arvalid_i) $fatal(1, "qsa_axi_dram_model: ARVALID dropped before ARREADY");
      if (aw_pend && !awvalid_i) $fatal(1, "qsa_axi_dram_model: AWVALID dropped before AWREADY");
      if (w_pend && !wvalid_i) $fatal(1, "qsa_axi_dram_model: WVALID dropped before WREADY");
      ar_pend <= arvalid_i && !arready_o;
      aw_pend <= awvalid_i && !awready_o;
      w_pend  <= wvalid_i && !wready_o;
      // Handshakes of this cycle, in AxiDram::Tick's order: R, B, W, AW, AR.
      if (rvalid_o && rready_i) begin
        i = rq_head;
        rq_next[i] = rq_next[i] + 1;
        if (rq_next[i] == rq_beats[i]) begin
          rq_head  = (rq_head + 1) % MaxReads;
          rq_count = rq_count - 1;
        end
      end
      if (bvalid_o && bready_i) begin
        bq_head  = (bq_head + 1) % MaxWrites;
        bq_count = bq_count - 1;
      end
      if (wvalid_i && wready_o) begin
        i    = wq_head;
        beat = (wq_addr[i] & ~32'd7) + 32'(wq_next[i]) * 32'd8;
        if (wlast_i != (wq_next[i] == wq_beats[i] - 1)) begin
          $fatal(1, "qsa_axi_dram_model: WLAST %b on beat %0d of %0d", wlast_i, wq_next[i],
                 wq_beats[i]);
        end
        // The bytes are merged into a copy of the word, then stored whole: Icarus 11 aborts on
        // a part-select write into a word of a 2-state array (array.cc: "val.size() ==
        // vals_width").
        w    = word_of(beat);
        data = mem[w];
        for (int b = 0; b < 8; b++) begin
          if (wstrb_i[b] && !(wq_next[i] == 0 && b < int'(wq_addr[i][2:0]))) begin
            data[b*8 +: 8] = wdata_i[b*8 +: 8];
          end
        end
        mem[w] = data;
        wq_next[i] = wq_next[i] + 1;
        if (wq_next[i] == wq_beats[i]) begin
          bq_at[(bq_head + bq_count) % MaxWrites] =
              (wq_acc[i] + WriteLatency > now + 1) ? wq_acc[i] + WriteLatency : now + 1;
          bq_count = bq_count + 1;
          wq_head  = (wq_head + 1) % MaxWrites;
          wq_count = wq_count - 1;
        end
      end
      if (awvalid_i && awready_o) begin
        check_burst("AW", awaddr_i, awlen_i, awsize_i, awburst_i);
        i = (wq_head + wq_count) % MaxWrites;
        wq_addr[i]  = awaddr_i;
        wq_beats[i] = int'(awlen_i) + 1;
        wq_next[i]  = 0;
        wq_acc[i]   = now;
        wq_count    = wq_count + 1;
      end
      if (arvalid_i && arready_o) begin
        check_burst("AR", araddr_i, arlen_i, arsize_i, arburst_i);
        i = (rq_head + rq_count) % MaxReads;
        rq_addr[i]  = araddr_i & ~32'd7;
        rq_beats[i] = int'(arlen_i) + 1;
        rq_next[i]  = 0;
        rq_ready[i] = now + ReadLatency;
        rq_count    = rq_count + 1;
      end
      r_hold = rvalid_o && !rready_i;
      b_hold = bvalid_o && !bready_i;
      now = now + 1;
      // Outputs for the next cycle (AxiDram::ComputeOutputs).
      arready_o <= rq_count < MaxReads;
      awready_o <= wq_count + bq_count < MaxWrites;
      wready_o  <= wq_count != 0;
      if (!r_hold) begin
        rvalid_o <= 1'b0;
        rdata_o  <= '0;
        rlast_o  <= 1'b0;
        if (rq_count != 0 && rq_ready[rq_head] <= now) begin
          i = rq_head;
          rvalid_o <= 1'b1;
          rdata_o  <= mem[word_of(rq_addr[i] + 32'(rq_next[i]) * 32'd8)];
          rlast_o  <= rq_next[i] == rq_beats[i] - 1;
        end
      end
      if (!b_hold) begin
        bvalid_o <= bq_count != 0 && bq_at[bq_head] <= now;
      end
    end
  end

endmodule
