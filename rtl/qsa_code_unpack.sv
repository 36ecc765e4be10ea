// Weight-code unpacker (docs/spec.md §1 and §7 "Codes").
//
// Turns the 64-bit words of a packed code stream into rows of codes: one row is the next len
// codes of the stream (len 1..MaxVec), returned as MaxVec uniform 3-bit codes.
//
// Stream format: little-endian 64-bit words; 3-bit codes 21 per word (code i in bits
// [3i, 3i+3), bit 63 unused and ignored), 2-bit codes 32 per word (code i in bits [2i, 2i+2)).
//
// Protocol
// - clear_i (one-cycle pulse) empties the buffer and begins a new stream; it has priority over
//   a word or a pop in the same cycle (those are ignored). skip_i, sampled with clear_i, is the
//   number of codes dropped from the first word of the new stream (3-bit: 0..20, 2-bit:
//   0..31): that word contributes only its codes [skip, codes_per_word). bits3_i selects the
//   code width (1: 3-bit, 0: 2-bit) and must be constant from clear_i to the end of the stream.
//   Reset leaves the block as after a clear_i with skip 0.
// - A word is accepted in a cycle with word_valid_i && word_ready_o. word_ready_o depends only
//   on the state and bits3_i: high when the codes the word adds (codes_per_word, less skip for
//   the first word after clear_i) fit into the BufCodes-entry buffer at the current count.
// - A row is popped in a cycle with vec_valid_i && vec_ready_o. vec_ready_o is high when at
//   least vec_len_i (1..MaxVec) codes are buffered; it does not depend on word_valid_i. In that
//   cycle row_o, row_nnz_o and row_reserved_o describe the popped row combinationally, from the
//   buffer contents before this cycle's word.
// - A push and a pop may happen in the same cycle, so one word in and one row out per cycle is
//   possible when the rates allow (BufCodes >= MaxVec + 32 keeps both sides moving).
// - Uniform form (code j of row_o at [3*j +: 3]): each code is classified as
//   qsa_pkg::decode_code does and re-encoded as the 3-bit code of its β, so 3-bit codes pass as is
//   and 2-bit codes map 00 -> 000, 01 -> 001 (+1), 10 -> 100 (-1). A reserved code (111, 11)
//   is output as 000, so it never acts as a value, and sets row_reserved_o. Codes of row_o at
//   index >= vec_len_i are 000. row_nnz_o counts the codes among the first vec_len_i that are
//   neither zero nor reserved.
//
// Structure: a shift register of BufCodes entries, oldest at entry 0, and a count; an entry is a
// uniform code (codes_q, entry e at [3*e +: 3]) with two flags, nonzero (nz_q[e]) and reserved
// (rsv_q[e]); entries at index >= count are kept zero. A pushed word is unpacked into 32 entries
// (entries beyond 21 are zero in 3-bit mode) and shifted down by the skip. A pop shifts the
// buffer down by len entries (barrel shift); a push ORs the word's entries in at entry count
// (count - len when popping in the same cycle). The row outputs are masks of the first MaxVec
// entries (nnz a population count), and the unpacking and the shifts sit under the push and pop
// conditions: simulators evaluate them only in the cycles that use them.
module qsa_code_unpack #(
  parameter int MaxVec   = 64,   // codes per row (max len)
  parameter int BufCodes = 128,  // buffer capacity in codes; must be >= MaxVec + 32
  localparam int LenWidth = $clog2(MaxVec + 1)
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       clear_i,        // pulse: empty the buffer, new stream
  input  logic [4:0]                 skip_i,         // with clear_i: codes dropped from word 0
  input  logic                       bits3_i,        // 1: 3-bit codes (21/word), 0: 2-bit (32)
  input  logic                       word_valid_i,
  output logic                       word_ready_o,
  input  logic [63:0]                word_i,
  input  logic                       vec_valid_i,    // request: pop the next vec_len_i codes
  input  logic [LenWidth-1:0]        vec_len_i,      // 1..MaxVec
  output logic                       vec_ready_o,    // at least vec_len_i codes are buffered
  output logic [MaxVec*3-1:0]        row_o,          // code j at [3*j +: 3]
  output logic [LenWidth-1:0]        row_nnz_o,      // nonzero codes among the first vec_len_i
  output logic                       row_reserved_o  // a reserved code among the first vec_len_i
);

  localparam int CodeW      = qsa_pkg::CodeWidth;     // 3: a uniform code
  localparam int WordCodes  = 32;                     // codes of a word, at most (2-bit)
  localparam int Codes3     = 21;                     // 3-bit codes per word
  localparam int CpwWidth   = 6;                      // holds 0..32
  localparam int SkipWidth  = 5;
  localparam int CountWidth = $clog2(BufCodes + 1);   // a count 0..BufCodes
  localparam int SumWidth   = CountWidth + 1;         // count + codes of a word

  // ---------------------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------------------
  logic [BufCodes*CodeW-1:0] codes_d, codes_q;  // entry e's uniform code at [e*CodeW +: CodeW]
  logic [BufCodes-1:0]       nz_d, nz_q;        // entry e is a nonzero code
  logic [BufCodes-1:0]       rsv_d, rsv_q;      // entry e was a reserved code (its code is 000)
  logic [CountWidth-1:0]     count_d, count_q;  // buffered codes
  logic                      first_d, first_q;  // next word is the first of the stream
  logic [SkipWidth-1:0]      skip_d, skip_q;    // codes to drop from the first word

  // ---------------------------------------------------------------------------------------
  // Push and pop control
  // ---------------------------------------------------------------------------------------
  logic [SkipWidth-1:0]  skip_eff;   // skip applied to this cycle's word
  logic [CpwWidth-1:0]   cpw;        // codes per word
  logic [CpwWidth-1:0]   n_push;     // codes this cycle's word adds
  logic                  word_ready;
  logic                  vec_ready;
  logic                  push;
  logic                  pop;
  logic [CountWidth-1:0] pop_len;    // entries popped this cycle
  logic [CountWidth-1:0] base;       // entry where the word's codes go

  assign skip_eff   = first_q ? skip_q : 5'd0;
  assign cpw        = bits3_i ? 6'd21 : 6'd32;
  // A skip >= codes per word is outside the protocol; the word then adds nothing.
  assign n_push     = (CpwWidth'(skip_eff) >= cpw) ? 6'd0 : cpw - CpwWidth'(skip_eff);
  assign word_ready = (SumWidth'(count_q) + SumWidth'(n_push)) <= SumWidth'(BufCodes);
  assign vec_ready  = CountWidth'(vec_len_i) <= count_q;
  assign push       = word_valid_i & word_ready;
  assign pop        = vec_valid_i & vec_ready;
  assign pop_len    = pop ? CountWidth'(vec_len_i) : '0;
  assign base       = count_q - pop_len;

  // ---------------------------------------------------------------------------------------
  // Buffer datapath
  // ---------------------------------------------------------------------------------------
  // The word's entries (code i at [i*CodeW +: CodeW], flags at [i]): each code re-encoded as
  // the 3-bit code of its β (qsa_pkg::decode_code's classes), so 3-bit codes pass as is and
  // 2-bit codes map 00 -> 000, 01 -> 001, 10 -> 100; zero and reserved codes become 000.
  // Worked on the whole word at once rather than a code at a time: a 3-bit code is reserved
  // when its three bits are set (111) and nonzero when any is set and it is not reserved; a
  // 2-bit code is reserved when both bits are set (11), +1 (001) when only its low bit is and
  // -1 (100) when only its high bit is. The per-code loops only move one flag bit each into
  // place, so a simulator does a few word operations per code instead of a decode.
  //
  // The block builds the entries in its own variables and writes each output once, at the end,
  // and takes its variables apart by shifts, not selects: under Icarus 11 (Debian 12) an output
  // changing twice per run, or a constant select of a variable the block writes (which lands in
  // its sensitivity), makes always_comb blocks wake each other without end (Icarus bug #508,
  // fixed in 12.0).
  localparam logic [Codes3*3-1:0] Lsb3 = {Codes3{3'b001}};     // bit 3i: code i's low bit
  localparam logic [63:0]         Lsb2 = {WordCodes{2'b01}};   // bit 2i: code i's low bit

  logic [WordCodes*CodeW-1:0] word_codes_sh;  // the word's entries, shifted down by the skip
  logic [WordCodes-1:0]       word_nz_sh, word_rsv_sh;

  always_comb begin : p_word
    logic [WordCodes*CodeW-1:0] codes;
    logic [WordCodes-1:0]       nz, rsv;
    logic [Codes3*3-1:0]        w3, b0, b1, b2, r3, n3, c3;  // 3-bit codes: code i at bit 3i
    logic [63:0]                lo, hi, r2, p2, m2;       // 2-bit codes: code i at bit 2i
    codes = '0;
    nz    = '0;
    rsv   = '0;
    w3    = '0;
    b0    = '0;
    b1    = '0;
    b2    = '0;
    r3    = '0;
    n3    = '0;
    c3    = '0;
    lo    = '0;
    hi    = '0;
    r2    = '0;
    p2    = '0;
    m2    = '0;
    if (push) begin
      if (bits3_i) begin
        w3    = (Codes3*3)'(word_i);    // bit 63 is not a code
        b0    = w3 & Lsb3;
        b1    = (w3 >> 1) & Lsb3;
        b2    = (w3 >> 2) & Lsb3;
        r3    = b0 & b1 & b2;
        n3    = (b0 | b1 | b2) & ~r3;
        c3    = w3 & ~(r3 | (r3 << 1) | (r3 << 2));
        codes = (WordCodes*CodeW)'(c3);
        for (int i = 0; i < Codes3; i++) begin
          nz[i]  = 1'(n3 >> (3 * i));
          rsv[i] = 1'(r3 >> (3 * i));
        end
      end else begin
        lo = word_i & Lsb2;
        hi = (word_i >> 1) & Lsb2;
        r2 = lo & hi;
        p2 = lo & ~hi;
        m2 = hi & ~lo;
        for (int i = 0; i < WordCodes; i++) begin
          codes  = codes | ((WordCodes*CodeW)'({1'(m2 >> (2 * i)), 1'b0, 1'(p2 >> (2 * i))})
                            << (CodeW * i));
          nz[i]  = 1'((p2 | m2) >> (2 * i));
          rsv[i] = 1'(r2 >> (2 * i));
        end
      end
      codes = codes >> (CodeW * skip_eff);
      nz    = nz >> skip_eff;
      rsv   = rsv >> skip_eff;
    end
    word_codes_sh = codes;
    word_nz_sh    = nz;
    word_rsv_sh   = rsv;
  end

  always_comb begin
    codes_d = codes_q;
    nz_d    = nz_q;
    rsv_d   = rsv_q;
    count_d = count_q;
    first_d = first_q;
    skip_d  = skip_q;
    if (clear_i) begin
      codes_d = '0;
      nz_d    = '0;
      rsv_d   = '0;
      count_d = '0;
      first_d = 1'b1;
      skip_d  = skip_i;
    end else begin
      if (pop) begin
        codes_d = codes_q >> (CodeW * pop_len);
        nz_d    = nz_q >> pop_len;
        rsv_d   = rsv_q >> pop_len;
      end
      if (push) begin
        codes_d = codes_d | ((BufCodes*CodeW)'(word_codes_sh) << (CodeW * base));
        nz_d    = nz_d | (BufCodes'(word_nz_sh) << base);
        rsv_d   = rsv_d | (BufCodes'(word_rsv_sh) << base);
        first_d = 1'b0;
      end
      count_d = base + (push ? CountWidth'(n_push) : '0);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      codes_q <= '0;
      nz_q    <= '0;
      rsv_q   <= '0;
      count_q <= '0;
      first_q <= 1'b1;
      skip_q  <= '0;
    end else begin
      codes_q <= codes_d;
      nz_q    <= nz_d;
      rsv_q   <= rsv_d;
      count_q <= count_d;
      first_q <= first_d;
      skip_q  <= skip_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Row output: the first vec_len_i entries
  // ---------------------------------------------------------------------------------------
  logic [MaxVec-1:0]       len_mask;   // bit j: j < vec_len_i
  logic [MaxVec*CodeW-1:0] code_mask;  // the same, three bits per code
  logic [CodeW+LenWidth-1:0] len_bits;  // CodeW * vec_len_i

  assign len_mask       = ~({MaxVec{1'b1}} << vec_len_i);
  assign len_bits       = (CodeW+LenWidth)'(vec_len_i) * (CodeW+LenWidth)'(CodeW);
  assign code_mask      = ~({(MaxVec*CodeW){1'b1}} << len_bits);
  assign word_ready_o   = word_ready;
  assign vec_ready_o    = vec_ready;
  assign row_o          = codes_q[MaxVec*CodeW-1:0] & code_mask;
  assign row_nnz_o      = LenWidth'($countones(nz_q[MaxVec-1:0] & len_mask));
  assign row_reserved_o = |(rsv_q[MaxVec-1:0] & len_mask);

endmodule
