// Self-checking testbench of qsa_mem: byte enables, one-cycle read latency, read enable that
// holds the output, read during a write to another word, then random traffic against a
// shadow copy. Stimulus is applied on the falling edge, so there are no races with the DUT.
// Runs under Icarus (iverilog -g2012) and Verilator (--binary --timing).
module qsa_mem_tb;
  localparam int Width = 32;
  localparam int Depth = 24;  // deliberately not a power of two
  localparam int AddrWidth = $clog2(Depth);
  localparam int BeWidth = Width / 8;
  localparam int RandomOps = 4000;

  logic                 clk = 1'b0;
  logic                 we_i = 1'b0;
  logic [AddrWidth-1:0] waddr_i = '0;
  logic [Width-1:0]     wdata_i = '0;
  logic [BeWidth-1:0]   wbe_i = '0;
  logic                 re_i = 1'b0;
  logic [AddrWidth-1:0] raddr_i = '0;
  logic [Width-1:0]     rdata_o;

  logic [Width-1:0] shadow [Depth];
  logic [Width-1:0] expected = '0;
  logic             expected_known = 1'b0;
  logic [31:0]      rng = 32'h1234_5678;
  int               checks = 0;

  qsa_mem #(
    .Width(Width),
    .Depth(Depth)
  ) u_dut (
    .clk_i  (clk),
    .we_i   (we_i),
    .waddr_i(waddr_i),
    .wdata_i(wdata_i),
    .wbe_i  (wbe_i),
    .re_i   (re_i),
    .raddr_i(raddr_i),
    .rdata_o(rdata_o)
  );

  always #5 clk = ~clk;

  // Watchdog: the test is a few thousand cycles; anything longer is a hang.
  initial begin
    #2000000;
    $fatal(1, "qsa_mem_tb: watchdog timeout");
  end

  function automatic logic [Width-1:0] merge(input logic [Width-1:0] old_word,
                                             input logic [Width-1:0] new_word,
                                             input logic [BeWidth-1:0] be);
    logic [Width-1:0] w;
    w = old_word;
    for (int b = 0; b < BeWidth; b++) begin
      if (be[b]) w[b*8 +: 8] = new_word[b*8 +: 8];
    end
    merge = w;
  endfunction

  // One clock cycle: drive at the falling edge, let the rising edge act, check at the next
  // falling edge. Also checks that rdata_o does not change before the rising edge (latency 1).
  task automatic cycle(input logic we, input int wa, input logic [Width-1:0] wd,
                       input logic [BeWidth-1:0] be, input logic re, input int ra,
                       input logic check_same_word);
    logic [Width-1:0] prev_rdata;
    we_i    = we;
    waddr_i = AddrWidth'(wa);
    wdata_i = wd;
    wbe_i   = be;
    re_i    = re;
    raddr_i = AddrWidth'(ra);
    prev_rdata = rdata_o;
    if (re) begin
      // Read-first: a read sees the word as it was before this cycle's write. A read of the
      // word being written is only checked when asked (SRAM macros may differ there).
      expected       = shadow[ra];
      expected_known = !(we && wa == ra && be != '0) || check_same_word;
    end
    #2;
    if (rdata_o !== prev_rdata) $fatal(1, "qsa_mem_tb: rdata_o changed before the clock edge");
    @(negedge clk);
    if (expected_known && rdata_o !== expected) begin
      $fatal(1, "qsa_mem_tb: read mismatch addr %0d: got %h expected %h", raddr_i, rdata_o,
             expected);
    end
    if (expected_known) checks++;
    if (we) shadow[wa] = merge(shadow[wa], wd, be);
  endtask

  initial begin
    @(negedge clk);
    // 1. Fill every word with full byte enables, reading the previous word at the same time
    //    (read during a write to another address).
    for (int a = 0; a < Depth; a++) begin
      shadow[a] = 'x;
    end
    for (int a = 0; a < Depth; a++) begin
      cycle(1'b1, a, Width'(32'hA5000000 + a * 32'h00010203), '1, (a > 0), (a > 0) ? a - 1 : 0,
            1'b0);
    end
    cycle(1'b0, 0, '0, '0, 1'b1, Depth - 1, 1'b0);
    // 2. Each byte enable alone, then a read back of every word.
    for (int b = 0; b < BeWidth; b++) begin
      cycle(1'b1, 3, '1, BeWidth'(1 << b), 1'b0, 0, 1'b0);
      cycle(1'b0, 0, '0, '0, 1'b1, 3, 1'b0);
    end
    cycle(1'b1, 5, '0, '0, 1'b1, 5, 1'b1);  // write with no byte enabled changes nothing
    cycle(1'b0, 0, '0, '0, 1'b1, 5, 1'b0);
    // 3. Read enable low holds the output even when the address and the memory change.
    cycle(1'b0, 0, '0, '0, 1'b1, 7, 1'b0);
    cycle(1'b1, 7, '0, '1, 1'b0, 9, 1'b0);
    cycle(1'b0, 0, '0, '0, 1'b0, 11, 1'b0);
    cycle(1'b0, 0, '0, '0, 1'b1, 7, 1'b0);
    // 4. Back-to-back: write a word, read it in the very next cycle (sees the new data).
    cycle(1'b1, 2, 32'hDEADBEEF, 4'b0101, 1'b0, 0, 1'b0);
    cycle(1'b0, 0, '0, '0, 1'b1, 2, 1'b0);
    // 5. Random traffic.
    for (int i = 0; i < RandomOps; i++) begin
      logic [31:0] r1;
      logic [31:0] r2;
      rng = qsa_tb_pkg::xorshift32(rng);
      r1  = rng;
      rng = qsa_tb_pkg::xorshift32(rng);
      r2  = rng;
      cycle(r1[0], int'(r1[15:8]) % Depth, Width'(r2), BeWidth'(r1[7:4]), r1[1],
            int'(r1[23:16]) % Depth, 1'b0);
    end
    $display("PASS qsa_mem_tb: %0d read checks", checks);
    $finish;
  end
endmodule
