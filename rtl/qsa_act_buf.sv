// Activation input buffer (docs/architecture.md): two halves of HalfBytes bytes (double
// buffering: the DMA fills one half with the next band while the array reads the other).
//
// Write port (DMA side): one 64-bit word per cycle, we_i/whalf_i/waddr_i (word index within
// the half), all bytes written.
// Read port (array side): re_i/rhalf_i/raddr_i (WORD index within the half); from the next
// cycle rdata_o holds the LineWords words [raddr, raddr + LineWords), a line of LineWords * 8
// bytes with byte i at [8*i +: 8], until the next read. Words past the end of the half are
// unspecified. The array picks the bytes it needs out of the line (qsa_compute: several
// kernel-row segments of one window per line).
//
// Structure: the words of both halves are interleaved over LineWords qsa_mem banks (word w of
// the buffer in bank w mod LineWords), so the LineWords consecutive words of any line come from
// distinct banks in one cycle; the bank outputs are rotated into order.
module qsa_act_buf #(
  parameter int HalfBytes = 32768,  // bytes per half, a multiple of 8 * LineWords
  parameter int LineWords = 16,     // words per read, a power of two >= 2
  localparam int HalfWords = HalfBytes / 8,
  localparam int AddrWidth = $clog2(HalfWords),
  localparam int BankSel = $clog2(LineWords),
  localparam int BankDepth = 2 * HalfWords / LineWords,
  localparam int BankAddrWidth = $clog2(BankDepth)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    we_i,
  input  logic                    whalf_i,
  input  logic [AddrWidth-1:0]    waddr_i,
  input  logic [63:0]             wdata_i,
  input  logic                    re_i,
  input  logic                    rhalf_i,
  input  logic [AddrWidth-1:0]    raddr_i,
  output logic [LineWords*64-1:0] rdata_o
);

  // Buffer word index (both halves): {half, word}.
  logic [AddrWidth:0] wword, rword;
  assign wword = {whalf_i, waddr_i};
  assign rword = {rhalf_i, raddr_i};

  logic [LineWords*64-1:0] bank_rdata;

  for (genvar b = 0; b < LineWords; b++) begin : g_bank
    logic [AddrWidth:0] word;  // the word of this read that lives in bank b
    logic [BankSel-1:0] delta;

    // Word rword + ((b - rword) mod LineWords) is the one in [rword, rword + LineWords) in bank b.
    assign delta = BankSel'(b) - rword[BankSel-1:0];
    assign word  = rword + (AddrWidth + 1)'(delta);

    qsa_mem #(.Width(64), .Depth(BankDepth)) u_bank (
      .clk_i,
      .we_i   (we_i && (wword[BankSel-1:0] == BankSel'(b))),
      .waddr_i(BankAddrWidth'(wword >> BankSel)),
      .wdata_i(wdata_i),
      .wbe_i  (8'hff),
      .re_i   (re_i),
      .raddr_i(BankAddrWidth'(word >> BankSel)),
      .rdata_o(bank_rdata[b*64 +: 64])
    );
  end

  // Rotation on the registered read address: word i of the line from bank (rword + i).
  logic [BankSel-1:0] rot_d, rot_q;
  assign rot_d = re_i ? rword[BankSel-1:0] : rot_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rot_q <= '0;
    else         rot_q <= rot_d;
  end

  for (genvar i = 0; i < LineWords; i++) begin : g_order
    logic [BankSel-1:0] bank;
    assign bank = BankSel'(i) + rot_q;
    assign rdata_o[i*64 +: 64] = bank_rdata[bank*64 +: 64];
  end

endmodule
