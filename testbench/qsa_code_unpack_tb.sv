// Self-checking testbench of qsa_code_unpack (MaxVec = 64, BufCodes = 128 by default; the tb
// parameters can be overridden for a sweep).
//
// NumStreams streams from a fixed-seed xorshift32, each begun with clear_i: random code width,
// random skip (0, the maximum 20 / 31 and uniform values weighted), 1..80 words of random codes
// (zero density 0..100 %, reserved codes in about one stream in three; in 3-bit mode bit 63 of
// each word is random and must be ignored; the skipped codes of the first word are random too,
// reserved ones included). Rows are requested with a per-stream length mix: uniform 1..MaxVec,
// always MaxVec, short rows (1..codes per word, where one word in and one row out per cycle is
// possible) or 1 / MaxVec / uniform. word_valid_i and vec_valid_i are random per cycle with
// per-stream rates (100 %, ~75 %, ~50 %, ~12 %); a waiting request sometimes changes its length.
// When all words of a stream are in, the remaining codes are drained with shorter rows, or the
// stream is abandoned with codes left over; a few streams are cleared midway. In some clear_i
// cycles word_valid_i and vec_valid_i are high with garbage (clear_i has priority: ignored).
//
// Reference: a ring of expected {reserved, uniform code} entries, appended when a word is
// accepted (its codes [skip, codes per word) for the first word of a stream) and consumed by
// pops. Every cycle checks word_ready_o (expected count + codes of the word <= BufCodes) and
// vec_ready_o (vec_len_i <= expected count); every pop checks all MaxVec codes of row_o (000
// beyond len), row_nnz_o and row_reserved_o. Coverage counters (len MaxVec, maximum skip,
// reserved rows, push and pop in one cycle, a full buffer) must all be nonzero.
module qsa_code_unpack_tb #(
  parameter int MaxVec = 64,
  parameter int BufCodes = 128,
  parameter int NumStreams = 400
);

  localparam int LenWidth = $clog2(MaxVec + 1);
  localparam int Ring     = 1024;  // > BufCodes + one word
  localparam int RingMask = Ring - 1;

  logic                  clk = 1'b0;
  logic                  rst_n;
  logic                  clear;
  logic [4:0]            skip;
  logic                  bits3;
  logic                  word_valid;
  logic                  word_ready;
  logic [63:0]           word;
  logic                  vec_valid;
  logic [LenWidth-1:0]   vec_len;
  logic                  vec_ready;
  logic [MaxVec*3-1:0]   row;
  logic [LenWidth-1:0]   row_nnz;
  logic                  row_reserved;

  qsa_code_unpack #(.MaxVec(MaxVec), .BufCodes(BufCodes)) u_dut (
    .clk_i         (clk),
    .rst_ni        (rst_n),
    .clear_i       (clear),
    .skip_i        (skip),
    .bits3_i       (bits3),
    .word_valid_i  (word_valid),
    .word_ready_o  (word_ready),
    .word_i        (word),
    .vec_valid_i   (vec_valid),
    .vec_len_i     (vec_len),
    .vec_ready_o   (vec_ready),
    .row_o         (row),
    .row_nnz_o     (row_nnz),
    .row_reserved_o(row_reserved)
  );

  always #5 clk = ~clk;

  // Watchdog: far more than NumStreams streams can need at the slowest rates.
  initial begin
    #(64'd20000 * NumStreams * 10);
    $fatal(1, "FAIL qsa_code_unpack_tb: watchdog expired");
  end

  // ---------------------------------------------------------------------------------------
  // Random numbers
  // ---------------------------------------------------------------------------------------
  logic [31:0] lfsr;

  task automatic next_rand;
    lfsr = qsa_tb_pkg::xorshift32(lfsr);
  endtask

  // ---------------------------------------------------------------------------------------
  // Reference: expected entries of the stream, oldest at ref_head
  // ---------------------------------------------------------------------------------------
  logic [2:0] ref_code[Ring];
  logic       ref_rsv[Ring];
  int         ref_head;
  int         ref_tail;

  function automatic int ref_count();
    ref_count = ref_tail - ref_head;
  endfunction

  // Stream parameters.
  logic s_bits3;
  int   s_skip;
  logic s_first;      // next word is the stream's first
  int   s_words_left; // words still to be accepted
  int   s_rsv_pct;    // reserved codes, percent
  int   s_zero_pct;   // zero codes among the others, percent
  int   s_word_rate;  // word_valid_i high when r[2:0] < rate (of 8)
  int   s_pop_rate;
  int   s_len_mode;
  int   s_cpw;

  // Word on offer: its bits and the expected entries of all its codes.
  logic       w_have;
  logic [63:0] w_bits;
  logic [2:0] w_code[32];
  logic       w_rsv[32];

  // Row request.
  logic       q_have;
  int         q_len;

  int maxv;  // MaxVec in a variable: keeps Verilator from unrolling the loops

  task automatic gen_word;
    logic [31:0] r;
    logic [2:0]  raw;
    int          p;
    next_rand;
    w_bits[31:0] = lfsr;
    next_rand;
    w_bits[63:32] = lfsr;  // bit 63 stays random in 3-bit mode: it must be ignored
    for (int i = 0; i < s_cpw; i++) begin
      next_rand;
      r = lfsr;
      p = int'(r[15:0] % 16'd100);
      if (p < s_rsv_pct) begin
        raw        = 3'b111;
        w_code[i]  = 3'b000;
        w_rsv[i]   = 1'b1;
      end else if (int'(r[31:24] % 8'd100) < s_zero_pct) begin
        raw        = 3'b000;
        w_code[i]  = 3'b000;
        w_rsv[i]   = 1'b0;
      end else if (s_bits3) begin
        raw        = 3'(1 + (r[23:16] % 8'd6));  // 001 .. 110
        w_code[i]  = raw;
        w_rsv[i]   = 1'b0;
      end else begin
        raw        = r[16] ? 3'b001 : 3'b010;    // 2-bit 01 (+1) or 10 (-1)
        w_code[i]  = r[16] ? 3'b001 : 3'b100;
        w_rsv[i]   = 1'b0;
      end
      if (s_bits3) w_bits[i*3 +: 3] = raw;
      else w_bits[i*2 +: 2] = raw[1:0];
    end
  endtask

  // Length of a new row request.
  task automatic gen_len;
    logic [31:0] r;
    next_rand;
    r = lfsr;
    case (s_len_mode)
      0:       q_len = 1 + int'(r[31:16] % 16'(maxv));
      1:       q_len = maxv;
      2:       q_len = 1 + int'(r[31:16] % 16'(s_cpw < maxv ? s_cpw : maxv));
      default: begin
        case (r[1:0])
          2'd0:    q_len = 1;
          2'd1:    q_len = maxv;
          default: q_len = 1 + int'(r[31:16] % 16'(maxv));
        endcase
      end
    endcase
    // All words in: only what is left can be popped.
    if (s_words_left == 0 && !w_have && q_len > ref_count()) begin
      q_len = 1 + int'(r[15:8]) % ref_count();
    end
  endtask

  task automatic new_stream;
    logic [31:0] r;
    next_rand;
    r         = lfsr;
    s_bits3   = r[0];
    s_cpw     = s_bits3 ? 21 : 32;
    case (r[3:1])
      3'd0, 3'd1: s_skip = 0;
      3'd2, 3'd3: s_skip = s_cpw - 1;  // maximum skip
      default:    s_skip = int'(r[15:8]) % s_cpw;
    endcase
    s_words_left = 1 + int'(r[23:16]) % 80;
    case (r[25:24])
      2'd0:    s_rsv_pct = 3;
      default: s_rsv_pct = 0;
    endcase
    case (r[28:26])
      3'd0:    s_zero_pct = 0;
      3'd1:    s_zero_pct = 100;
      default: s_zero_pct = int'(r[15:9]) % 101;
    endcase
    next_rand;
    r = lfsr;
    case (r[1:0])
      2'd0:    s_word_rate = 8;
      2'd1:    s_word_rate = 6;
      2'd2:    s_word_rate = 4;
      default: s_word_rate = 1;
    endcase
    case (r[3:2])
      2'd0:    s_pop_rate = 8;
      2'd1:    s_pop_rate = 6;
      2'd2:    s_pop_rate = 4;
      default: s_pop_rate = 1;
    endcase
    // Full-rate streams are weighted up: back-to-back push + pop.
    if (r[6:4] == 3'd0) begin
      s_word_rate = 8;
      s_pop_rate  = 8;
    end
    s_len_mode = int'(r[9:8]);
    s_first    = 1'b1;
    w_have     = 1'b0;
    q_have     = 1'b0;
    ref_head   = 0;
    ref_tail   = 0;
  endtask

  // ---------------------------------------------------------------------------------------
  // Checks
  // ---------------------------------------------------------------------------------------
  int checks;
  int rows_total;
  int rows_max_len;
  int rows_rsv;
  int cyc_push_pop;
  int cyc_full;
  int streams_max_skip;
  int words_total;
  int stream_no;

  task automatic fail_hdr;
    $display("FAIL qsa_code_unpack_tb: stream %0d (%0d-bit codes, skip %0d), buffered %0d",
             stream_no, s_bits3 ? 3 : 2, s_skip, ref_count());
  endtask

  task automatic check_ready;
    int   n;
    logic exp_wr;
    logic exp_vr;
    n      = s_cpw - (s_first ? s_skip : 0);
    exp_wr = (ref_count() + n <= BufCodes);
    exp_vr = (int'(vec_len) <= ref_count());
    if (word_ready !== exp_wr || vec_ready !== exp_vr) begin
      fail_hdr;
      $fatal(1, "FAIL qsa_code_unpack_tb: vec_len %0d: word_ready_o %b (exp %b) vec_ready_o %b (exp %b)",
             vec_len, word_ready, exp_wr, vec_ready, exp_vr);
    end
    checks++;
  endtask

  task automatic check_row(input int len);
    logic [2:0] exp_code;
    int         exp_nnz;
    logic       exp_rsv;
    int         k;
    exp_nnz = 0;
    exp_rsv = 1'b0;
    for (int j = 0; j < maxv; j++) begin
      k        = (ref_head + j) & RingMask;
      exp_code = (j < len) ? ref_code[k] : 3'b000;
      if (j < len) begin
        if (ref_rsv[k]) exp_rsv = 1'b1;
        if (ref_code[k] != 3'b000) exp_nnz++;
      end
      if (row[j*3 +: 3] !== exp_code) begin
        fail_hdr;
        $fatal(1, "FAIL qsa_code_unpack_tb: row %0d len %0d code %0d: row_o %b, expected %b",
               rows_total, len, j, row[j*3 +: 3], exp_code);
      end
    end
    if (row_nnz !== LenWidth'(exp_nnz) || row_reserved !== exp_rsv) begin
      fail_hdr;
      $fatal(1, "FAIL qsa_code_unpack_tb: row %0d len %0d: row_nnz_o %0d (exp %0d) row_reserved_o %b (exp %b)",
             rows_total, len, row_nnz, exp_nnz, row_reserved, exp_rsv);
    end
    checks++;
  endtask

  // ---------------------------------------------------------------------------------------
  // Stimulus
  // ---------------------------------------------------------------------------------------
  task automatic clear_cycle;
    logic [31:0] r;
    @(negedge clk);
    new_stream;
    if (s_skip == s_cpw - 1) streams_max_skip++;
    next_rand;
    r     = lfsr;
    clear = 1'b1;
    skip  = 5'(s_skip);
    bits3 = s_bits3;
    // Garbage word and pop in the clear cycle now and then: clear_i has priority.
    word_valid = (r[2:0] == 3'd0);
    vec_valid  = (r[5:3] == 3'd0);
    vec_len    = LenWidth'(1 + int'(r[15:8]) % maxv);
    next_rand;
    word = {lfsr, r};
    @(posedge clk);
  endtask

  initial begin
    logic [31:0] r;
    logic        done;
    logic        popped;
    int          k;
    int          n;
    int          sk;

    lfsr             = 32'h2545_f491;
    maxv             = MaxVec;
    checks           = 0;
    rows_total       = 0;
    rows_max_len     = 0;
    rows_rsv         = 0;
    cyc_push_pop     = 0;
    cyc_full         = 0;
    streams_max_skip = 0;
    words_total      = 0;
    rst_n            = 1'b0;
    clear            = 1'b0;
    skip             = '0;
    bits3            = 1'b1;
    word_valid       = 1'b0;
    word             = '0;
    vec_valid        = 1'b0;
    vec_len          = LenWidth'(1);
    ref_head         = 0;
    ref_tail         = 0;
    repeat (2) @(negedge clk);
    #1;
    if (word_ready !== 1'b1 || vec_ready !== 1'b0) begin
      $fatal(1, "FAIL qsa_code_unpack_tb: in reset word_ready_o %b (exp 1) vec_ready_o %b (exp 0)",
             word_ready, vec_ready);
    end
    rst_n = 1'b1;

    for (stream_no = 0; stream_no < NumStreams; stream_no++) begin
      clear_cycle;
      done = 1'b0;
      while (!done) begin
        @(negedge clk);
        clear = 1'b0;
        skip  = 5'(lfsr);  // ignored without clear_i
        // Word side.
        if (!w_have && s_words_left > 0) begin
          gen_word;
          w_have = 1'b1;
        end
        next_rand;
        r          = lfsr;
        word_valid = w_have && (int'(r[2:0]) < s_word_rate);
        word       = word_valid ? w_bits : {r, ~r};
        // Row side.
        if (q_have && r[12:8] == 5'd0) q_have = 1'b0;  // a waiting request changes its length
        if (!q_have && ref_count() + (w_have ? 1 : 0) > 0) begin
          gen_len;
          q_have = 1'b1;
        end
        vec_valid = q_have && (int'(r[5:3]) < s_pop_rate);
        vec_len   = q_have ? LenWidth'(q_len) : LenWidth'(1 + int'(r[23:16]) % maxv);
        #1;
        check_ready;
        popped = 1'b0;
        if (vec_valid && vec_ready) begin
          check_row(q_len);
          if (q_len == maxv) rows_max_len++;
          if (row_reserved) rows_rsv++;
          rows_total++;
          ref_head = ref_head + q_len;
          q_have   = 1'b0;
          popped   = 1'b1;
        end
        if (word_valid && !word_ready) cyc_full++;
        if (word_valid && word_ready) begin
          sk = s_first ? s_skip : 0;
          n  = s_cpw;
          for (int i = sk; i < n; i++) begin
            k           = ref_tail & RingMask;
            ref_code[k] = w_code[i];
            ref_rsv[k]  = w_rsv[i];
            ref_tail++;
          end
          s_first = 1'b0;
          w_have  = 1'b0;
          s_words_left--;
          words_total++;
          if (popped) cyc_push_pop++;
        end
        // End of the stream: all words in and drained, or left over now and then.
        next_rand;
        r = lfsr;
        if (s_words_left == 0 && !w_have && (ref_count() == 0 || r[4:0] == 5'd0)) done = 1'b1;
        if (r[15:5] == 11'd0) done = 1'b1;  // rare: clear in the middle of a stream
        @(posedge clk);
      end
    end
    @(negedge clk);
    clear      = 1'b0;
    word_valid = 1'b0;
    vec_valid  = 1'b0;
    if (rows_max_len == 0 || rows_rsv == 0 || cyc_push_pop == 0 || cyc_full == 0 ||
        streams_max_skip == 0) begin
      $fatal(1, "FAIL qsa_code_unpack_tb: coverage hole: len-max rows %0d, reserved rows %0d, push+pop cycles %0d, full cycles %0d, max-skip streams %0d",
             rows_max_len, rows_rsv, cyc_push_pop, cyc_full, streams_max_skip);
    end
    $display("PASS qsa_code_unpack_tb: %0d streams, %0d words, %0d rows (%0d of len %0d, %0d reserved), %0d push+pop cycles, %0d full cycles, %0d max-skip streams, %0d checks",
             NumStreams, words_total, rows_total, rows_max_len, MaxVec, rows_rsv, cyc_push_pop,
             cyc_full, streams_max_skip, checks);
    $finish;
  end

endmodule
