// QSA on-chip memory: one write port with byte enables, one read port with a one-cycle read
// latency. This is the single place the accelerator's buffers (activations, weights) are
// stored, so a user can replace this module with an SRAM macro wrapper of the same ports.
//
// - Write: on the rising edge with we_i, byte b of word waddr_i takes wdata_i[b*8 +: 8] for
//   every b with wbe_i[b] set; other bytes keep their value.
// - Read: with re_i at a rising edge, rdata_o shows word raddr_i from the next cycle on and
//   holds it until the next read (re_i low keeps rdata_o, as an SRAM with a read enable does).
// - Read and write of the same word in the same cycle return the OLD word (read-first). SRAM
//   macros differ here, so users of this module must not depend on it.
// - Addresses >= Depth (when Depth is not a power of two) are not allowed.
//
// No reset: memories have none (an SRAM macro cannot clear itself) and neither does the read
// register, which only ever holds memory contents. The module therefore has no rst_ni port at
// all; a port that is never used would be a lint warning, and a reset on the memory array
// would stop Yosys from inferring a $mem cell. Contents are undefined ('x' in simulation) until
// written.
module qsa_mem #(
  parameter int Width = 64,   // bits per word, a multiple of 8
  parameter int Depth = 512,  // words, at least 2
  localparam int AddrWidth = $clog2(Depth),
  localparam int BeWidth = Width / 8
) (
  input  logic                 clk_i,
  // write port
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Width-1:0]     wdata_i,
  input  logic [BeWidth-1:0]   wbe_i,
  // read port (one cycle latency)
  input  logic                 re_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Width-1:0]     rdata_o
);

  logic [Width-1:0] mem [Depth];
  logic [Width-1:0] rdata_q;

`ifdef VERILATOR
  // For Verilator, the same write as one whole-word assignment, merging the enabled bytes into
  // the old word. Verilator gives every nonblocking write to a memory its own pending-write record,
  // which it clears and tests in every cycle: BeWidth of them for the byte-lane loop below (24 for
  // a PE's code store) against one here.
  logic [Width-1:0] wbits;  // wbe_i, one bit per data bit

  always_comb begin
    wbits = '0;  // needed in write cycles only (skipped in the others)
    if (we_i) begin
      for (int b = 0; b < BeWidth; b++) wbits[b*8 +: 8] = {8{wbe_i[b]}};
    end
  end

  always_ff @(posedge clk_i) begin
    if (we_i) begin
      mem[waddr_i] <= (mem[waddr_i] & ~wbits) | (wdata_i & wbits);
    end
  end
`else
  // One write port per byte lane; Yosys merges them into a single port with a per-bit enable
  // (memory_share), which memory_bram maps to a byte-write-enable block RAM.
  always_ff @(posedge clk_i) begin
    for (int b = 0; b < BeWidth; b++) begin
      if (we_i && wbe_i[b]) begin
        mem[waddr_i][b*8 +: 8] <= wdata_i[b*8 +: 8];
      end
    end
  end
`endif

  // Synchronous read with enable: Yosys folds rdata_q into the memory's read port (memory_dff).
  always_ff @(posedge clk_i) begin
    if (re_i) begin
      rdata_q <= mem[raddr_i];
    end
  end

  assign rdata_o = rdata_q;

endmodule
