// Self-checking testbench of the qsa_pkg functions against plain behavioral models.
//
//   decode_code / decode_code_beta: every code of both widths against the tables of spec §1
//     (DecodeCode), including the upper bit of a 2-bit code being ignored and reserved codes
//     never decoding as a value.
//   requantize: shifts 0..31 crossed with INT32_MIN/MAX and neighbours, the rounding and
//     saturation boundaries of each shift, and 1024 xorshift values per shift; the model
//     divides with floor division: floor((acc + 2^(s-1)) / 2^s), then clamps.
//   sat8: -300..300 and 64-bit extremes.  relu: all 256 int8 values.
//   lane_term: every 3-bit code crossed with every int8 activation: u - 512 + neg = β·a (0 for
//     a zero or reserved code), use = a nonzero code, zero = ... with a = 0, and a lane that
//     selects nothing leaves u = 512, neg = 0.
//   naf_digits / naf_topk / naf_value / naf_count / naf_alpha_topk / naf_alpha_count: every
//     8-bit m and k 0..7 against Q_k(m) computed digit-serially here.
module qsa_pkg_tb;

  localparam int RESERVED  = 32'h0000_7fff;  // kReservedCode
  localparam int NumRandom = 1024;
  localparam longint INT32_MIN = -64'sd2147483648;
  localparam longint INT32_MAX = 64'sd2147483647;

  int checks;

  // ---------------------------------------------------------------------------------------
  // Behavioral models
  // ---------------------------------------------------------------------------------------
  function automatic int model_beta(input int code, input int bits);
    if (bits == 2) begin
      case (code % 4)
        0:       model_beta = 0;
        1:       model_beta = 1;
        2:       model_beta = -1;
        default: model_beta = RESERVED;
      endcase
    end else begin
      case (code % 8)
        0:       model_beta = 0;
        1:       model_beta = 1;
        2:       model_beta = 2;
        3:       model_beta = 4;
        4:       model_beta = -1;
        5:       model_beta = -2;
        6:       model_beta = -4;
        default: model_beta = RESERVED;
      endcase
    end
  endfunction

  function automatic longint model_sat8(input longint v);
    if (v > 127)       model_sat8 = 127;
    else if (v < -128) model_sat8 = -128;
    else               model_sat8 = v;
  endfunction

  function automatic longint model_requantize(input longint acc, input int shift);
    longint d;
    longint n;
    if (shift == 0) begin
      model_requantize = model_sat8(acc);
    end else begin
      d = longint'(1) << shift;
      n = acc + d / 2;
      // Floor division (SV `/` truncates toward zero).
      if (n >= 0) model_requantize = model_sat8(n / d);
      else        model_requantize = model_sat8(-((-n + d - 1) / d));
    end
  endfunction

  // Q_k(m) via the digit-serial NAF (x mod 4 rule) and a scan from the top, and the number of
  // digits it keeps. (A task: Icarus 11 functions take inputs only.)
  task automatic model_topk(input int m, input int k, output int q_out, output int nnz_kept);
    int digit[32];
    int x;
    int len;
    int kept;
    int q;
    for (int i = 0; i < 32; i++) digit[i] = 0;
    x   = m;
    len = 0;
    while (x != 0) begin
      if (x % 2 != 0) begin
        digit[len] = 2 - (x % 4);
        x          = x - digit[len];
      end
      x   = x / 2;
      len = len + 1;
    end
    kept = 0;
    q    = 0;
    for (int i = 31; i >= 0; i--) begin
      if (digit[i] != 0 && (k == 0 || kept < k)) begin
        q    = q + digit[i] * (1 << i);
        kept = kept + 1;
      end
    end
    nnz_kept = kept;
    q_out    = q;
  endtask

  // ---------------------------------------------------------------------------------------
  // Checks
  // ---------------------------------------------------------------------------------------
  task automatic check_code(input int code, input int bits);
    logic [qsa_pkg::DecWidth-1:0] dec;
    int                           beta;
    int                           expected;
    int                           from_fields;
    expected = model_beta(code, bits);
    beta     = qsa_pkg::decode_code_beta(code[2:0], bits == 3);
    dec      = qsa_pkg::decode_code(code[2:0], bits == 3);
    // The value the fields describe: reserved -> RESERVED, zero -> 0, else +-(1 << shift).
    if (dec[qsa_pkg::DecReserved]) from_fields = RESERVED;
    else if (dec[qsa_pkg::DecZero]) from_fields = 0;
    else from_fields = (dec[qsa_pkg::DecNeg] ? -1 : 1) * (1 << dec[qsa_pkg::DecShiftLsb +: 2]);
    if (beta != expected || from_fields != expected) begin
      $fatal(1, "FAIL qsa_pkg_tb: decode_code bits=%0d code=%0d: expected beta %0d, got %0d (fields %b)",
             bits, code, expected, beta, dec);
    end
    // A reserved code must read as zero, not as a value.
    if (dec[qsa_pkg::DecReserved] &&
        (!dec[qsa_pkg::DecZero] || dec[qsa_pkg::DecNeg] || dec[qsa_pkg::DecShiftLsb +: 2] != 2'd0)) begin
      $fatal(1, "FAIL qsa_pkg_tb: decode_code bits=%0d code=%0d: reserved code not decoded as zero (%b)",
             bits, code, dec);
    end
    checks++;
  endtask

  task automatic check_lane(input int code, input int act);
    logic [qsa_pkg::LaneWidth-1:0] r;
    int beta, expected, got;
    logic exp_use, exp_zero;
    r        = qsa_pkg::lane_term(code[2:0], act[7:0]);
    beta     = model_beta(code, 3);
    exp_use  = (beta != 0) && (beta != RESERVED);
    exp_zero = exp_use && (act == 0);
    expected = exp_use ? beta * act : 0;
    got      = int'(r[0 +: qsa_pkg::LaneUWidth]) - 512 + int'(r[qsa_pkg::LaneNeg]);
    if (got != expected || r[qsa_pkg::LaneUse] != exp_use || r[qsa_pkg::LaneZero] != exp_zero ||
        (expected == 0 && (r[0 +: qsa_pkg::LaneUWidth] != 10'd512 || r[qsa_pkg::LaneNeg]))) begin
      $fatal(1, "FAIL qsa_pkg_tb: lane_term code=%0d a=%0d: expected %0d (use %0b zero %0b), got u=%0d neg=%0b use=%0b zero=%0b",
             code, act, expected, exp_use, exp_zero, r[0 +: qsa_pkg::LaneUWidth],
             r[qsa_pkg::LaneNeg], r[qsa_pkg::LaneUse], r[qsa_pkg::LaneZero]);
    end
    checks++;
  endtask

  task automatic check_requantize(input longint acc, input int shift);
    logic signed [7:0] got;
    longint            expected;
    // Values outside int32 (from the boundary sweep at large shifts) are not accumulators.
    if (acc >= INT32_MIN && acc <= INT32_MAX) begin
      got      = qsa_pkg::requantize(32'(acc), shift[4:0]);
      expected = model_requantize(acc, shift);
      if (longint'(got) != expected) begin
        $fatal(1, "FAIL qsa_pkg_tb: requantize(acc=%0d, shift=%0d): expected %0d, got %0d",
               acc, shift, expected, got);
      end
      checks++;
    end
  endtask

  task automatic check_sat8(input longint v);
    logic signed [7:0] got;
    got = qsa_pkg::sat8(v);
    if (longint'(got) != model_sat8(v)) begin
      $fatal(1, "FAIL qsa_pkg_tb: sat8(%0d): expected %0d, got %0d", v, model_sat8(v), got);
    end
    checks++;
  endtask

  task automatic check_naf(input int m, input int k);
    logic [qsa_pkg::NafMasksWidth-1:0] kept;
    logic [2*qsa_pkg::NafDigits-1:0]   kept_alpha;
    int                                expected;
    int                                expected_cnt;
    int                                got;
    int                                got_cnt;
    int                                got_alpha;
    model_topk(m, k, expected, expected_cnt);
    kept       = qsa_pkg::naf_topk(qsa_pkg::naf_digits(16'(m)), k[2:0]);
    got        = int'(qsa_pkg::naf_value(kept));
    got_cnt    = int'(qsa_pkg::naf_count(kept));
    kept_alpha = qsa_pkg::naf_alpha_topk(m[7:0], k[2:0]);
    got_alpha  = int'(kept_alpha[0 +: 9]) - int'(kept_alpha[9 +: 9]);
    if (got != expected || got_cnt != expected_cnt || got_alpha != expected ||
        int'(qsa_pkg::naf_alpha_count(kept_alpha)) != expected_cnt) begin
      $fatal(1, "FAIL qsa_pkg_tb: naf_topk m=%0d k=%0d: expected Q_k=%0d with %0d digits, got %0d with %0d digits (alpha form %0d, %0d digits)",
             m, k, expected, expected_cnt, got, got_cnt, got_alpha,
             qsa_pkg::naf_alpha_count(kept_alpha));
    end
    checks++;
  endtask

  // ---------------------------------------------------------------------------------------
  // Sweeps
  // ---------------------------------------------------------------------------------------
  // Quotients around the int8 limits, for the requantize boundaries.
  function automatic longint boundary_quotient(input int i);
    case (i)
      0:       boundary_quotient = -129;
      1:       boundary_quotient = -128;
      2:       boundary_quotient = -127;
      3:       boundary_quotient = -1;
      4:       boundary_quotient = 0;
      5:       boundary_quotient = 1;
      6:       boundary_quotient = 126;
      7:       boundary_quotient = 127;
      default: boundary_quotient = 128;
    endcase
  endfunction

  logic [31:0] xs;  // xorshift32 state
  longint      half;
  logic signed [7:0] q8;
  logic signed [7:0] r8;

  initial begin
    checks = 0;

    // decode_code: all codes of both widths (a 2-bit code's upper bit is ignored).
    for (int code = 0; code < 8; code++) begin
      check_code(code, 3);
      check_code(code, 2);
    end

    // lane_term: every 3-bit code and every int8 activation.
    for (int code = 0; code < 8; code++) begin
      for (int a = -128; a <= 127; a++) check_lane(code, a);
    end

    // requantize.
    xs = 32'h9e37_79b9;
    for (int s = 0; s < 32; s++) begin
      check_requantize(INT32_MIN, s);
      check_requantize(INT32_MIN + 1, s);
      check_requantize(INT32_MAX, s);
      check_requantize(INT32_MAX - 1, s);
      check_requantize(0, s);
      check_requantize(1, s);
      check_requantize(-1, s);
      // Rounding and saturation boundaries: q * 2^s + 2^(s-1) + e.
      half = (s == 0) ? 0 : (longint'(1) << (s - 1));
      for (int i = 0; i < 9; i++) begin
        for (int e = -1; e <= 1; e++) begin
          check_requantize(boundary_quotient(i) * (longint'(1) << s) + half + longint'(e), s);
          check_requantize(boundary_quotient(i) * (longint'(1) << s) + longint'(e), s);
        end
      end
      for (int n = 0; n < NumRandom; n++) begin
        xs = qsa_tb_pkg::xorshift32(xs);
        // Full-range values, and values scaled down to land near the int8 range.
        if (n % 2 == 0) check_requantize(longint'($signed(xs)), s);
        else            check_requantize(longint'($signed(xs)) >>> (xs % 32), s);
      end
    end

    // sat8.
    for (int v = -300; v <= 300; v++) check_sat8(longint'(v));
    check_sat8(INT32_MAX);
    check_sat8(INT32_MIN);
    check_sat8(64'sh7fff_ffff_ffff_ffff);
    check_sat8(-64'sh7fff_ffff_ffff_ffff - 1);

    // relu: every int8.
    for (int v = -128; v <= 127; v++) begin
      q8 = v[7:0];
      r8 = qsa_pkg::relu(q8);
      if (int'(r8) != (v > 0 ? v : 0)) begin
        $fatal(1, "FAIL qsa_pkg_tb: relu(%0d): expected %0d, got %0d", v, (v > 0 ? v : 0), r8);
      end
      checks++;
    end

    // NAF functions: every 8-bit m and every k.
    for (int m = 0; m < 256; m++) begin
      for (int k = 0; k < 8; k++) check_naf(m, k);
    end

    $display("PASS qsa_pkg_tb: %0d checks (decode_code, lane_term, requantize, sat8, relu, naf_topk)",
             checks);
    $finish;
  end

endmodule
