// Activation input buffer (docs/architecture.md): two halves of HalfBytes bytes (double
// buffering: the DMA fills one half with the next band while the array reads the other).
//
// Write port (DMA side): one 64-bit word per cycle, we_i/whalf_i/waddr_i (word index within
// the half), all bytes written.
// Read port (array side): re_i/rhalf_i/raddr_i (BYTE address within the half); from the next
// cycle rdata_o holds the WinBytes bytes [raddr, raddr + WinBytes), byte i at [8*i +: 8], until
// the next read. Bytes past the end of the half are unspecified.
//
// Structure: the words of both halves are interleaved over Banks qsa_mem banks (word w of the
// buffer in bank w mod Banks), Banks >= WinBytes/8 + 1, so the WinBytes + 7 bytes of any
// unaligned read come from distinct banks in one cycle; the bank outputs are rotated into
// order and shifted by the byte offset.
module qsa_act_buf #(
  parameter int HalfBytes = 32768,  // bytes per half, a multiple of 8 * Banks
  parameter int WinBytes = 64,      // bytes per read
  localparam int HalfWords = HalfBytes / 8,
  localparam int WAddrWidth = $clog2(HalfWords),
  localparam int RAddrWidth = $clog2(HalfBytes),
  localparam int Banks = 2 ** $clog2(WinBytes / 8 + 1),
  localparam int BankSel = $clog2(Banks),
  localparam int BankDepth = 2 * HalfWords / Banks,
  localparam int BankAddrWidth = $clog2(BankDepth)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    we_i,
  input  logic                    whalf_i,
  input  logic [WAddrWidth-1:0]   waddr_i,
  input  logic [63:0]             wdata_i,
  input  logic                    re_i,
  input  logic                    rhalf_i,
  input  logic [RAddrWidth-1:0]   raddr_i,
  output logic [WinBytes*8-1:0]   rdata_o
);

  // Buffer word index (both halves): {half, word}.
  logic [WAddrWidth:0] wword, rword;
  assign wword = {whalf_i, waddr_i};
  assign rword = {rhalf_i, raddr_i[RAddrWidth-1:3]};

  logic [Banks*64-1:0] bank_rdata;

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    logic [WAddrWidth:0] word;  // the word of this read that lives in bank b
    logic [BankSel-1:0]  delta;

    // Word rword + ((b - rword) mod Banks) is the one in [rword, rword + Banks) in bank b.
    assign delta = BankSel'(b) - rword[BankSel-1:0];
    assign word  = rword + (WAddrWidth + 1)'(delta);

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

  // Rotation and byte shift, on the registered read address.
  logic [BankSel-1:0] rot_d, rot_q;  // bank of the first word
  logic [2:0]         off_d, off_q;  // byte offset within it
  assign rot_d = re_i ? rword[BankSel-1:0] : rot_q;
  assign off_d = re_i ? raddr_i[2:0] : off_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rot_q <= '0;
      off_q <= '0;
    end else begin
      rot_q <= rot_d;
      off_q <= off_d;
    end
  end

  logic [Banks*64-1:0] ordered;  // word i of the read at [64*i +: 64]
  for (genvar i = 0; i < Banks; i++) begin : g_order
    logic [BankSel-1:0] bank;
    assign bank = BankSel'(i) + rot_q;
    assign ordered[i*64 +: 64] = bank_rdata[bank*64 +: 64];
  end

  logic [Banks*64-1:0] shifted;
  assign shifted = ordered >> (off_q * 8);
  assign rdata_o = shifted[WinBytes*8-1:0];

  // Bits above the window are the slack that makes any byte offset possible.
  logic unused_shifted;
  assign unused_shifted = ^shifted[Banks*64-1:WinBytes*8];

endmodule
