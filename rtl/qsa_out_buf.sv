// Output buffer (docs/architecture.md): two halves of HalfBytes bytes (double buffering: the
// DMA writes one band out of one half while the array fills the other).
//
// Write port (array side): we_i writes the bytes wbyte_i[i] (i < WrBytes) with wen_i[i] set to
// byte address waddr_i + i of half whalf_i, all in one cycle (the PEs' outputs of one output
// position are consecutive channels of the HWC tensor).
// Read port (DMA side): re_i/rhalf_i/raddr_i (word index); rdata_o holds the word from the
// next cycle until the next read.
//
// Structure: the words of both halves are interleaved over Banks qsa_mem banks,
// Banks >= WrBytes/8 + 1, so one write touches each bank at most once.
module qsa_out_buf #(
  parameter int HalfBytes = 8192,
  parameter int WrBytes = 8,
  localparam int HalfWords = HalfBytes / 8,
  localparam int WAddrWidth = $clog2(HalfBytes),
  localparam int RAddrWidth = $clog2(HalfWords),
  localparam int Banks = 2 ** $clog2(WrBytes / 8 + 1),
  localparam int BankSel = $clog2(Banks),
  localparam int BankDepth = 2 * HalfWords / Banks,
  localparam int BankAddrWidth = $clog2(BankDepth)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   we_i,
  input  logic                   whalf_i,
  input  logic [WAddrWidth-1:0]  waddr_i,
  input  logic [WrBytes*8-1:0]   wbyte_i,
  input  logic [WrBytes-1:0]     wen_i,
  input  logic                   re_i,
  input  logic                   rhalf_i,
  input  logic [RAddrWidth-1:0]  raddr_i,
  output logic [63:0]            rdata_o
);

  localparam int SpanBytes = Banks * 8;

  // The write as a span of Banks words starting at the aligned-down word of waddr_i.
  logic [RAddrWidth:0]     wword;   // {half, word}
  logic [SpanBytes*8-1:0]  span_data;
  logic [SpanBytes-1:0]    span_en;
  assign wword     = {whalf_i, waddr_i[WAddrWidth-1:3]};
  assign span_data = (SpanBytes * 8)'(wbyte_i) << (waddr_i[2:0] * 8);
  assign span_en   = SpanBytes'(wen_i) << waddr_i[2:0];

  logic [RAddrWidth:0] rword;
  assign rword = {rhalf_i, raddr_i};

  logic [Banks*64-1:0] bank_rdata;

  for (genvar b = 0; b < Banks; b++) begin : g_bank
    logic [BankSel-1:0]  delta;  // index within the span of the word that lives in bank b
    logic [RAddrWidth:0] word;

    assign delta = BankSel'(b) - wword[BankSel-1:0];
    assign word  = wword + (RAddrWidth + 1)'(delta);

    qsa_mem #(.Width(64), .Depth(BankDepth)) u_bank (
      .clk_i,
      .we_i   (we_i && (|span_en[delta*8 +: 8])),
      .waddr_i(BankAddrWidth'(word >> BankSel)),
      .wdata_i(span_data[delta*64 +: 64]),
      .wbe_i  (span_en[delta*8 +: 8]),
      .re_i   (re_i && (rword[BankSel-1:0] == BankSel'(b))),
      .raddr_i(BankAddrWidth'(rword >> BankSel)),
      .rdata_o(bank_rdata[b*64 +: 64])
    );
  end

  logic [BankSel-1:0] rbank_d, rbank_q;
  assign rbank_d = re_i ? rword[BankSel-1:0] : rbank_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rbank_q <= '0;
    else         rbank_q <= rbank_d;
  end

  assign rdata_o = bank_rdata[rbank_q*64 +: 64];

endmodule
