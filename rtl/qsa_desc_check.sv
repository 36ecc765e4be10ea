// Layer descriptor checker and planner: the hardware twin of cmodel's ValidateLayerDesc, the
// descriptor checks of ParseModel and PlanLayer (docs/spec.md §7 and §8 "Execution plan and
// DRAM dataflow (v2)").
//
// Protocol
// - start_i (one-cycle pulse, accepted when idle; ignored while a check runs) starts a check of
//   desc_i, the 64-byte descriptor with byte b at desc_i[8*b +: 8] (spec §7 table). desc_i,
//   first_i, prev_*_i and k_ovr_*_i are sampled in the start_i cycle (callers should still hold
//   desc_i until done_o).
// - done_o pulses once the check is complete, 79 cycles later (7 divisions of 1 + 32/DivBits
//   + 1 cycles, 7 products, 2; cmodel/cycles.cc's kCheck), or after 2 cycles for a descriptor
//   with a reserved or out-of-range field. err_o,
//   err_cause_o and every decoded and plan output hold from done_o until the next start_i.
// - err_cause_o is an ERR_CAUSE code of qsa_regs_pkg (ERR_CAUSE_NONE when err_o is 0). The
//   decoded fields and the plan are valid only when err_o is 0.
//
// Checks, in priority order; the first failing class is reported:
//   1. DESC_RESERVED  bytes 53..63 nonzero, or flags bits 7:2 set.
//   2. DESC_FIELD     a field out of its spec §7 range (kind, bits, φ with 2-bit ⇒ φ = 1,
//                     orientation, N 1..64, k 0..5, R and S 1..15, stride 1..15, pads < kernel,
//                     shift = e_out − e_in − e_α 0..31, input h/w/c and output channels
//                     1..4096, the FC form R = S = stride = 1 and input 1×1, the kernel within
//                     the padded input, two conv rows and columns when pooling, fan-in ≤ 16383),
//                     or a count that disagrees with the geometry: vector count ≠ K·V, codes
//                     bytes ≠ 8·⌈K·F / cpw⌉, α bytes ≠ vector count, bias bytes ≠ 4·K.
//   3. DESC_ALIGN     codes, α or bias offset not a multiple of 8.
//   4. DESC_SHAPE     !first_i and the input is not the previous layer's output: conv
//                     (h, w, c) ≠ (prev_h, prev_w, prev_c); FC c ≠ prev_h·prev_w·prev_c.
//   5. DESC_LIMIT     the build cannot run the layer: V > VecRows, or band rows T = 0.
//
// Plan (spec §8 v2, A = ActBufBytes, O = OutBufBytes, E = Pes): F = R·S·C; V = filter-wise
// ⌈F/N⌉, channel-wise R·S·⌈C/N⌉; H_out = (H + pt + pb − R)/stride + 1 (likewise W);
// Hc = pool ? 2·(H_out/2) : H_out; H_o = pool ? H_out/2 : H_out; rb = W·C; ob = W_o·K;
// rows_in = (A − 7)/rb; T1 = rows_in ≥ R ? (rows_in − R)/stride + 1 : 0; rows_out = (O − 7)/ob;
// T2 = pool ? 2·rows_out : rows_out; T = min(Hc, T1, T2), made even when pooling. (The bands
// ⌈Hc/T⌉ and filter groups ⌈K/E⌉ are the sequencer's loops; Pes does not enter any check.)
//
// Robustness: the range checks (class 1 and the field ranges of class 2) are comparisons on the
// raw bytes in the start cycle. Only a descriptor that passes them reaches the arithmetic, whose
// widths are sized for the largest in-range values (K·F < 2^26, rb and ob < 2^25, A − 7 and
// O − 7 < 2^31); so no byte pattern can overflow an intermediate into a wrong answer.
//
// Structure: the start cycle latches the fields and the comparison results; then a step
// sequencer runs 7 divisions on one qsa_divider (32 bits, DivBits = 4 quotient bits per cycle:
// 9 cycles each) and 7 products on one shared 16×16 multiplier; the final step combines the
// classes.
//
// Parameters: ActBufBytes and OutBufBytes ≥ 8 and < 2^31 (bytes per buffer half); VecRows ≥ 1.
// Pes is the build's PE count: no check depends on it, it is here so that one parameter set
// describes the build.
module qsa_desc_check #(
  parameter int ActBufBytes = 32768,
  parameter int OutBufBytes = 8192,
  parameter int VecRows = 256,
  parameter int Pes = 8,
  localparam int VpfWidth = $clog2(VecRows + 1)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                start_i,          // pulse: check desc_i
  input  logic [511:0]        desc_i,           // byte b at [8*b +: 8]
  input  logic                first_i,          // layer 0: no chaining check
  input  logic [15:0]         prev_h_i,         // previous layer's final output shape
  input  logic [15:0]         prev_w_i,
  input  logic [15:0]         prev_c_i,
  input  logic                k_ovr_en_i,       // K_OVERRIDE nibble of this layer
  input  logic [2:0]          k_ovr_i,
  output logic                done_o,           // pulse: outputs valid until the next start_i
  output logic                err_o,
  output logic [7:0]          err_cause_o,      // qsa_regs_pkg::ERR_CAUSE_*
  // Decoded fields (valid with done_o when !err_o).
  output logic                bits3_o,          // 3-bit codes (else 2-bit)
  output logic                chanwise_o,       // channel-wise vectors (else filter-wise)
  output logic                relu_o,
  output logic                pool_o,
  output logic                fc_o,
  output logic [6:0]          vec_len_o,        // N
  output logic [2:0]          k_o,              // k after K_OVERRIDE (0, 6, 7 exact)
  output logic [3:0]          kh_o,
  output logic [3:0]          kw_o,
  output logic [3:0]          stride_o,
  output logic [3:0]          pad_t_o,
  output logic [3:0]          pad_l_o,
  output logic [3:0]          pad_b_o,
  output logic [3:0]          pad_r_o,
  output logic [4:0]          shift_o,
  output logic [12:0]         in_h_o,           // 1..4096
  output logic [12:0]         in_w_o,
  output logic [12:0]         in_c_o,
  output logic [12:0]         out_c_o,
  output logic [13:0]         fan_in_o,         // F <= 16383
  // Plan (valid with done_o when !err_o).
  output logic [VpfWidth-1:0] vpf_o,            // V, vectors per filter
  output logic [12:0]         conv_h_o,         // H_out, W_out (up to 4110)
  output logic [12:0]         conv_w_o,
  output logic [12:0]         comp_h_o,         // Hc, Wc
  output logic [12:0]         comp_w_o,
  output logic [12:0]         out_h_o,          // H_o, W_o
  output logic [12:0]         out_w_o,
  output logic [31:0]         row_bytes_o,      // rb
  output logic [31:0]         out_row_bytes_o,  // ob
  output logic [12:0]         band_rows_o,      // T
  output logic [31:0]         codes_off_o,
  output logic [31:0]         alpha_off_o,
  output logic [31:0]         bias_off_o,
  output logic [31:0]         vec_count_o
);

  localparam logic [31:0] ACT_AVAIL = 32'(ActBufBytes - 7);  // A - 7 (beat slack)
  localparam logic [31:0] OUT_AVAIL = 32'(OutBufBytes - 7);  // O - 7
  localparam logic [31:0] VEC_ROWS  = 32'(VecRows);

  logic [31:0] unused_pes;  // see "Parameters" above
  assign unused_pes = 32'(Pes);

  // Sequencer states.
  localparam logic [1:0] ST_IDLE = 2'd0;
  localparam logic [1:0] ST_STEP = 2'd1;  // issue step step_q (a product, or start a division)
  localparam logic [1:0] ST_WAIT = 2'd2;  // wait for the division of step step_q
  localparam logic [1:0] ST_FIN  = 2'd3;  // combine the classes, pulse done

  // Steps: D = division on the divider, M = product on the multiplier.
  localparam logic [3:0] SP_VQ     = 4'd0;   // D  vq = ceil(C / N) or ceil(F / N)
  localparam logic [3:0] SP_V      = 4'd1;   // M  V = R·S·vq (channel-wise) or vq
  localparam logic [3:0] SP_KV     = 4'd2;   // M  K·V
  localparam logic [3:0] SP_KF     = 4'd3;   // M  K·F
  localparam logic [3:0] SP_WORDS  = 4'd4;   // D  ceil(K·F / cpw)
  localparam logic [3:0] SP_CONVH  = 4'd5;   // D  (H + pt + pb - R) / stride
  localparam logic [3:0] SP_CONVW  = 4'd6;   // D  (W + pl + pr - S) / stride
  localparam logic [3:0] SP_RB     = 4'd7;   // M  rb = W·C
  localparam logic [3:0] SP_OB     = 4'd8;   // M  ob = W_o·K
  localparam logic [3:0] SP_ROWSIN = 4'd9;   // D  (A - 7) / rb
  localparam logic [3:0] SP_T1     = 4'd10;  // D  (rows_in - R) / stride
  localparam logic [3:0] SP_ROWSOUT= 4'd11;  // D  (O - 7) / ob
  localparam logic [3:0] SP_P1     = 4'd12;  // M  prev_h·prev_w
  localparam logic [3:0] SP_P2     = 4'd13;  // M  prev_h·prev_w·prev_c (last step)

  // ---------------------------------------------------------------------------------------
  // Raw descriptor fields (spec §7)
  // ---------------------------------------------------------------------------------------
  logic [7:0]  kind_raw, bits_raw, orient_raw, n_raw, k_raw, flags_raw;
  logic [7:0]  r_raw, s_raw, st_raw, pt_raw, pl_raw, pb_raw, pr_raw;
  logic [7:0]  ea_raw, ei_raw, eo_raw, phi_raw;
  logic [15:0] inh_raw, inw_raw, inc_raw, outc_raw;
  logic [31:0] vcnt_raw, coff_raw, cbytes_raw, aoff_raw, abytes_raw, boff_raw, bbytes_raw;
  logic [87:0] rsvd_raw;  // bytes 53..63

  assign kind_raw   = desc_i[8*0 +: 8];
  assign bits_raw   = desc_i[8*1 +: 8];
  assign orient_raw = desc_i[8*2 +: 8];
  assign n_raw      = desc_i[8*3 +: 8];
  assign k_raw      = desc_i[8*4 +: 8];
  assign flags_raw  = desc_i[8*5 +: 8];
  assign r_raw      = desc_i[8*6 +: 8];
  assign s_raw      = desc_i[8*7 +: 8];
  assign st_raw     = desc_i[8*8 +: 8];
  assign pt_raw     = desc_i[8*9 +: 8];
  assign pl_raw     = desc_i[8*10 +: 8];
  assign pb_raw     = desc_i[8*11 +: 8];
  assign pr_raw     = desc_i[8*12 +: 8];
  assign ea_raw     = desc_i[8*13 +: 8];
  assign ei_raw     = desc_i[8*14 +: 8];
  assign eo_raw     = desc_i[8*15 +: 8];
  assign inh_raw    = desc_i[8*16 +: 16];
  assign inw_raw    = desc_i[8*18 +: 16];
  assign inc_raw    = desc_i[8*20 +: 16];
  assign outc_raw   = desc_i[8*22 +: 16];
  assign vcnt_raw   = desc_i[8*24 +: 32];
  assign coff_raw   = desc_i[8*28 +: 32];
  assign cbytes_raw = desc_i[8*32 +: 32];
  assign aoff_raw   = desc_i[8*36 +: 32];
  assign abytes_raw = desc_i[8*40 +: 32];
  assign boff_raw   = desc_i[8*44 +: 32];
  assign bbytes_raw = desc_i[8*48 +: 32];
  assign phi_raw    = desc_i[8*52 +: 8];
  assign rsvd_raw   = desc_i[8*53 +: 88];

  // ---------------------------------------------------------------------------------------
  // Start-cycle checks: comparisons on the raw fields
  // ---------------------------------------------------------------------------------------
  logic [5:0] flags_rsvd;
  assign flags_rsvd = flags_raw[7:2];

  logic rsv_bad;
  assign rsv_bad = (|rsvd_raw) | (|flags_rsvd);

  // Shift = e_out - e_in - e_α of three int8 fields: -381..381, in 10-bit two's complement.
  logic [9:0] ea_ext, ei_ext, eo_ext, shift_full;
  assign ea_ext     = {{2{ea_raw[7]}}, ea_raw};
  assign ei_ext     = {{2{ei_raw[7]}}, ei_raw};
  assign eo_ext     = {{2{eo_raw[7]}}, eo_raw};
  assign shift_full = eo_ext - ei_ext - ea_ext;

  // Padded input extents (16-bit dimension + two 8-bit pads) and the kernel (+ stride).
  logic [17:0] padh, padw, need_h, need_w, need_pool_h, need_pool_w;
  assign padh        = 18'(inh_raw) + 18'(pt_raw) + 18'(pb_raw);
  assign padw        = 18'(inw_raw) + 18'(pl_raw) + 18'(pr_raw);
  assign need_h      = 18'(r_raw);
  assign need_w      = 18'(s_raw);
  assign need_pool_h = 18'(r_raw) + 18'(st_raw);  // two conv rows: H + pt + pb - R >= stride
  assign need_pool_w = 18'(s_raw) + 18'(st_raw);

  // Fan-in R·S·C on the in-range bits; exact whenever R, S <= 15 and C <= 4096, and any other
  // value is a range error already.
  logic [3:0]  r_lo, s_lo;
  logic [12:0] c_lo;
  logic [7:0]  rs_raw;
  logic [20:0] fan_full;
  assign r_lo     = r_raw[3:0];
  assign s_lo     = s_raw[3:0];
  assign c_lo     = inc_raw[12:0];
  assign rs_raw   = 8'(r_lo) * 8'(s_lo);
  assign fan_full = 21'(rs_raw) * 21'(c_lo);

  logic flag_fc, flag_pool;
  assign flag_fc   = (kind_raw == 8'd1);
  assign flag_pool = flags_raw[1];

  logic fld_enum, fld_geom, fld_dims, fld_fc, fld_fit, fld_count, field_bad;
  assign fld_enum  = (kind_raw > 8'd1) || (bits_raw != 8'd2 && bits_raw != 8'd3) ||
                     (phi_raw != 8'd1 && phi_raw != 8'd2 && phi_raw != 8'd4) ||
                     (bits_raw == 8'd2 && phi_raw != 8'd1) || (orient_raw > 8'd1) ||
                     (n_raw == 8'd0) || (n_raw > 8'd64) || (k_raw > 8'd5);
  assign fld_geom  = (r_raw == 8'd0) || (r_raw > 8'd15) || (s_raw == 8'd0) || (s_raw > 8'd15) ||
                     (st_raw == 8'd0) || (st_raw > 8'd15) || (pt_raw >= r_raw) ||
                     (pb_raw >= r_raw) || (pl_raw >= s_raw) || (pr_raw >= s_raw) ||
                     (shift_full > 10'd31);  // unsigned compare: negative values are > 31
  assign fld_dims  = (inh_raw == 16'd0) || (inh_raw > 16'd4096) || (inw_raw == 16'd0) ||
                     (inw_raw > 16'd4096) || (inc_raw == 16'd0) || (inc_raw > 16'd4096) ||
                     (outc_raw == 16'd0) || (outc_raw > 16'd4096);
  assign fld_fc    = flag_fc && ((r_raw != 8'd1) || (s_raw != 8'd1) || (st_raw != 8'd1) ||
                                 (inh_raw != 16'd1) || (inw_raw != 16'd1));
  assign fld_fit   = (padh < need_h) || (padw < need_w) ||
                     (flag_pool && ((padh < need_pool_h) || (padw < need_pool_w))) ||
                     (fan_full > 21'd16383);
  assign fld_count = (abytes_raw != vcnt_raw) || (bbytes_raw != {14'd0, outc_raw, 2'b00});
  assign field_bad = fld_enum | fld_geom | fld_dims | fld_fc | fld_fit | fld_count;

  logic align_bad;
  logic [2:0] coff_lo, aoff_lo, boff_lo;
  assign coff_lo   = coff_raw[2:0];
  assign aoff_lo   = aoff_raw[2:0];
  assign boff_lo   = boff_raw[2:0];
  assign align_bad = (|coff_lo) | (|aoff_lo) | (|boff_lo);

  logic conv_shape_bad;
  assign conv_shape_bad = (inh_raw != prev_h_i) || (inw_raw != prev_w_i) || (inc_raw != prev_c_i);

  // Narrowed fields latched at start (exact whenever the range checks pass).
  logic [6:0]  n_lo;
  logic [2:0]  k_desc;
  logic [3:0]  st_lo, pt_lo, pl_lo, pb_lo, pr_lo;
  logic [4:0]  shift_lo;
  logic [12:0] h_lo, w_lo, kout_lo;
  logic [13:0] fan_lo;
  logic        relu_raw;
  assign n_lo     = n_raw[6:0];
  assign k_desc   = k_raw[2:0];
  assign st_lo    = st_raw[3:0];
  assign pt_lo    = pt_raw[3:0];
  assign pl_lo    = pl_raw[3:0];
  assign pb_lo    = pb_raw[3:0];
  assign pr_lo    = pr_raw[3:0];
  assign shift_lo = shift_full[4:0];
  assign h_lo     = inh_raw[12:0];
  assign w_lo     = inw_raw[12:0];
  assign kout_lo  = outc_raw[12:0];
  assign fan_lo   = fan_full[13:0];
  assign relu_raw = flags_raw[0];

  // ---------------------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------------------
  logic [1:0]  state_d, state_q;
  logic [3:0]  step_d, step_q;
  // Start-cycle results.
  logic        rsv_d, rsv_q, fielda_d, fielda_q, align_d, align_q, cshape_d, cshape_q;
  logic        first_d, first_q;
  logic [15:0] prev_h_d, prev_h_q, prev_w_d, prev_w_q, prev_c_d, prev_c_q;
  logic [31:0] cbytes_d, cbytes_q;
  // Decoded fields.
  logic        bits3_d, bits3_q, chan_d, chan_q, relu_d, relu_q, pool_d, pool_q, fc_d, fc_q;
  logic [6:0]  n_d, n_q;
  logic [2:0]  k_d, k_q;
  logic [3:0]  r_d, r_q, s_d, s_q, st_d, st_q, pt_d, pt_q, pl_d, pl_q, pb_d, pb_q, pr_d, pr_q;
  logic [4:0]  shift_d, shift_q;
  logic [12:0] h_d, h_q, w_d, w_q, c_d, c_q, kk_d, kk_q;
  logic [13:0] fan_d, fan_q;
  logic [31:0] coff_d, coff_q, aoff_d, aoff_q, boff_d, boff_q, vcnt_d, vcnt_q;
  // Step results.
  logic [13:0] vq_d, vq_q;          // ceil(C/N) <= 4096 or ceil(F/N) <= 16383
  logic [13:0] v_d, v_q;            // V <= F <= 16383
  logic [25:0] kv_d, kv_q;          // K·V < 2^26
  logic [25:0] kf_d, kf_q;          // K·F < 2^26
  logic [21:0] words_d, words_q;    // ceil(K·F / cpw) < 2^22
  logic [12:0] convh_d, convh_q;    // H_out <= 4110
  logic [12:0] convw_d, convw_q;
  logic [24:0] rb_d, rb_q;          // W·C <= 2^24
  logic [24:0] ob_d, ob_q;          // W_o·K < 2^25
  logic [31:0] rowsin_d, rowsin_q;  // <= A - 7 < 2^31
  logic [31:0] t1q_d, t1q_q;        // (rows_in - R) / stride
  logic [31:0] rowsout_d, rowsout_q;
  logic [31:0] p1_d, p1_q;          // prev_h·prev_w
  logic        fcshape_d, fcshape_q;
  // Result.
  logic        done_d, done_q, err_d, err_q;
  logic [7:0]  cause_d, cause_q;

  // ---------------------------------------------------------------------------------------
  // Arithmetic on the latched fields
  // ---------------------------------------------------------------------------------------
  logic [7:0]  rs;                  // R·S
  logic [14:0] span_h, span_w;      // H + pt + pb - R, W + pl + pr - S (>= 0 after the checks)
  logic [12:0] convh_half, convw_half;
  logic [12:0] comp_h, comp_w, out_h, out_w;
  logic [5:0]  cpw;                 // codes per word: 21 or 32
  assign rs         = 8'(r_q) * 8'(s_q);
  assign span_h     = 15'(h_q) + 15'(pt_q) + 15'(pb_q) - 15'(r_q);
  assign span_w     = 15'(w_q) + 15'(pl_q) + 15'(pr_q) - 15'(s_q);
  assign convh_half = {1'b0, convh_q[12:1]};
  assign convw_half = {1'b0, convw_q[12:1]};
  assign comp_h     = pool_q ? {convh_q[12:1], 1'b0} : convh_q;
  assign comp_w     = pool_q ? {convw_q[12:1], 1'b0} : convw_q;
  assign out_h      = pool_q ? convh_half : convh_q;
  assign out_w      = pool_q ? convw_half : convw_q;
  assign cpw        = bits3_q ? 6'd21 : 6'd32;

  // Band rows: T = min(Hc, T1, T2), even when pooling (33 bits: T2 = 2·rows_out).
  logic        rows_fit;            // rows_in >= R
  logic [32:0] t1, t2, t_min;
  logic [12:0] band_t;
  logic [12:0] band_t_raw;
  logic        band_t_lsb;
  assign rows_fit   = (rowsin_q >= 32'(r_q));
  assign t1         = rows_fit ? 33'(t1q_q) + 33'd1 : 33'd0;
  assign t2         = pool_q ? {rowsout_q, 1'b0} : {1'b0, rowsout_q};
  assign t_min      = (33'(comp_h) < t1) ? ((33'(comp_h) < t2) ? 33'(comp_h) : t2)
                                         : ((t1 < t2) ? t1 : t2);
  assign band_t_raw = t_min[12:0];  // t_min <= Hc <= 4110
  logic        unused_t_min;
  assign unused_t_min = ^t_min[32:13];
  assign band_t_lsb = band_t_raw[0] & ~pool_q;
  assign band_t     = {band_t_raw[12:1], band_t_lsb};

  logic [15:0] p1_lo, p1_hi;
  assign p1_lo = p1_q[15:0];
  assign p1_hi = p1_q[31:16];

  // The shared multiplier and the divider operands of the current step.
  logic [15:0] mul_a, mul_b;
  logic [31:0] product;
  logic [31:0] div_num, div_den;
  logic        step_is_div;
  assign product = 32'(mul_a) * 32'(mul_b);

  always_comb begin
    mul_a       = 16'd0;
    mul_b       = 16'd0;
    div_num     = 32'd0;
    div_den     = 32'd1;
    step_is_div = 1'b1;
    case (step_q)
      SP_VQ: begin
        div_num = chan_q ? 32'(c_q) + 32'(n_q) - 32'd1 : 32'(fan_q) + 32'(n_q) - 32'd1;
        div_den = 32'(n_q);
      end
      SP_V: begin
        step_is_div = 1'b0;
        mul_a       = chan_q ? 16'(rs) : 16'd1;
        mul_b       = 16'(vq_q);
      end
      SP_KV: begin
        step_is_div = 1'b0;
        mul_a       = 16'(kk_q);
        mul_b       = 16'(v_q);
      end
      SP_KF: begin
        step_is_div = 1'b0;
        mul_a       = 16'(kk_q);
        mul_b       = 16'(fan_q);
      end
      SP_WORDS: begin
        div_num = 32'(kf_q) + 32'(cpw) - 32'd1;
        div_den = 32'(cpw);
      end
      SP_CONVH: begin
        div_num = 32'(span_h);
        div_den = 32'(st_q);
      end
      SP_CONVW: begin
        div_num = 32'(span_w);
        div_den = 32'(st_q);
      end
      SP_RB: begin
        step_is_div = 1'b0;
        mul_a       = 16'(w_q);
        mul_b       = 16'(c_q);
      end
      SP_OB: begin
        step_is_div = 1'b0;
        mul_a       = 16'(out_w);
        mul_b       = 16'(kk_q);
      end
      SP_ROWSIN: begin
        div_num = ACT_AVAIL;
        div_den = 32'(rb_q);
      end
      SP_T1: begin
        div_num = rows_fit ? rowsin_q - 32'(r_q) : 32'd0;
        div_den = 32'(st_q);
      end
      SP_ROWSOUT: begin
        div_num = OUT_AVAIL;
        div_den = 32'(ob_q);
      end
      SP_P1: begin
        step_is_div = 1'b0;
        mul_a       = prev_h_q;
        mul_b       = prev_w_q;
      end
      default: begin  // SP_P2
        step_is_div = 1'b0;
        mul_a       = p1_lo;
        mul_b       = prev_c_q;
      end
    endcase
  end

  // Slices of the step results (kept out of always_comb for Icarus).
  logic [13:0] prod_14;
  logic [25:0] prod_26;
  logic [24:0] prod_25;
  logic [5:0]  unused_prod;
  assign prod_14     = product[13:0];
  assign prod_26     = product[25:0];
  assign prod_25     = product[24:0];
  assign unused_prod = product[31:26];

  // Quotient bits per divider cycle: four chained restoring steps, so a division takes 8 cycles
  // (the check's latency is on every layer's critical path: descriptor read, check, first load).
  localparam int DivBits = 4;

  logic        div_start, div_busy, div_done;
  logic [31:0] quo, rem;
  logic [13:0] quo_14;
  logic [21:0] quo_22;
  logic [12:0] quo_13_inc;
  logic        unused_div;
  assign quo_14     = quo[13:0];
  assign quo_22     = quo[21:0];
  assign quo_13_inc = quo[12:0] + 13'd1;
  // The remainder is not needed (ceilings are formed as (a + b - 1) / b); the quotient's high
  // bits are zero for every step's operands (widths above) and so are not kept.
  assign unused_div = ^{rem, div_busy, quo[31:22]};

  qsa_divider #(.Width(32), .BitsPerCycle(DivBits)) u_div (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .start_i    (div_start),
    .dividend_i (div_num),
    .divisor_i  (div_den),
    .busy_o     (div_busy),
    .done_o     (div_done),
    .quotient_o (quo),
    .remainder_o(rem)
  );

  // ---------------------------------------------------------------------------------------
  // Final combination of the classes
  // ---------------------------------------------------------------------------------------
  logic field_late, shape_bad, limit_bad;
  assign field_late = (vcnt_q != {6'd0, kv_q}) || (cbytes_q != {7'd0, words_q, 3'b000});
  assign shape_bad  = !first_q && (fc_q ? fcshape_q : cshape_q);
  assign limit_bad  = (32'(v_q) > VEC_ROWS) || (band_t == 13'd0);

  // ---------------------------------------------------------------------------------------
  // Sequencer
  // ---------------------------------------------------------------------------------------
  always_comb begin
    state_d   = state_q;
    step_d    = step_q;
    rsv_d     = rsv_q;
    fielda_d  = fielda_q;
    align_d   = align_q;
    cshape_d  = cshape_q;
    first_d   = first_q;
    prev_h_d  = prev_h_q;
    prev_w_d  = prev_w_q;
    prev_c_d  = prev_c_q;
    cbytes_d  = cbytes_q;
    bits3_d   = bits3_q;
    chan_d    = chan_q;
    relu_d    = relu_q;
    pool_d    = pool_q;
    fc_d      = fc_q;
    n_d       = n_q;
    k_d       = k_q;
    r_d       = r_q;
    s_d       = s_q;
    st_d      = st_q;
    pt_d      = pt_q;
    pl_d      = pl_q;
    pb_d      = pb_q;
    pr_d      = pr_q;
    shift_d   = shift_q;
    h_d       = h_q;
    w_d       = w_q;
    c_d       = c_q;
    kk_d      = kk_q;
    fan_d     = fan_q;
    coff_d    = coff_q;
    aoff_d    = aoff_q;
    boff_d    = boff_q;
    vcnt_d    = vcnt_q;
    vq_d      = vq_q;
    v_d       = v_q;
    kv_d      = kv_q;
    kf_d      = kf_q;
    words_d   = words_q;
    convh_d   = convh_q;
    convw_d   = convw_q;
    rb_d      = rb_q;
    ob_d      = ob_q;
    rowsin_d  = rowsin_q;
    t1q_d     = t1q_q;
    rowsout_d = rowsout_q;
    p1_d      = p1_q;
    fcshape_d = fcshape_q;
    done_d    = 1'b0;
    err_d     = err_q;
    cause_d   = cause_q;
    div_start = 1'b0;

    case (state_q)
      ST_IDLE: begin
        if (start_i) begin
          rsv_d    = rsv_bad;
          fielda_d = field_bad;
          align_d  = align_bad;
          cshape_d = conv_shape_bad;
          first_d  = first_i;
          prev_h_d = prev_h_i;
          prev_w_d = prev_w_i;
          prev_c_d = prev_c_i;
          cbytes_d = cbytes_raw;
          bits3_d  = (bits_raw == 8'd3);
          chan_d   = (orient_raw == 8'd0);
          relu_d   = relu_raw;
          pool_d   = flag_pool;
          fc_d     = flag_fc;
          n_d      = n_lo;
          k_d      = k_ovr_en_i ? k_ovr_i : k_desc;
          r_d      = r_lo;
          s_d      = s_lo;
          st_d     = st_lo;
          pt_d     = pt_lo;
          pl_d     = pl_lo;
          pb_d     = pb_lo;
          pr_d     = pr_lo;
          shift_d  = shift_lo;
          h_d      = h_lo;
          w_d      = w_lo;
          c_d      = c_lo;
          kk_d     = kout_lo;
          fan_d    = fan_lo;
          coff_d   = coff_raw;
          aoff_d   = aoff_raw;
          boff_d   = boff_raw;
          vcnt_d   = vcnt_raw;
          step_d   = SP_VQ;
          // A reserved or out-of-range field ends the check: nothing below may run on it.
          state_d  = (rsv_bad || field_bad) ? ST_FIN : ST_STEP;
        end
      end
      ST_STEP: begin
        if (step_is_div) begin
          div_start = 1'b1;
          state_d   = ST_WAIT;
        end else begin
          case (step_q)
            SP_V:    v_d  = prod_14;
            SP_KV:   kv_d = prod_26;
            SP_KF:   kf_d = prod_26;
            SP_RB:   rb_d = prod_25;
            SP_OB:   ob_d = prod_25;
            SP_P1:   p1_d = product;
            default: fcshape_d = (p1_hi != 16'd0) || (product != 32'(c_q));  // SP_P2
          endcase
          if (step_q == SP_P2) begin
            state_d = ST_FIN;
          end else begin
            step_d = step_q + 4'd1;
          end
        end
      end
      ST_WAIT: begin
        if (div_done) begin
          case (step_q)
            SP_VQ:      vq_d      = quo_14;
            SP_WORDS:   words_d   = quo_22;
            SP_CONVH:   convh_d   = quo_13_inc;
            SP_CONVW:   convw_d   = quo_13_inc;
            SP_ROWSIN:  rowsin_d  = quo;
            SP_T1:      t1q_d     = quo;
            default:    rowsout_d = quo;  // SP_ROWSOUT
          endcase
          step_d  = step_q + 4'd1;
          state_d = ST_STEP;
        end
      end
      default: begin  // ST_FIN
        done_d  = 1'b1;
        err_d   = 1'b1;
        state_d = ST_IDLE;
        if (rsv_q) begin
          cause_d = qsa_regs_pkg::ERR_CAUSE_DESC_RESERVED;
        end else if (fielda_q || field_late) begin
          cause_d = qsa_regs_pkg::ERR_CAUSE_DESC_FIELD;
        end else if (align_q) begin
          cause_d = qsa_regs_pkg::ERR_CAUSE_DESC_ALIGN;
        end else if (shape_bad) begin
          cause_d = qsa_regs_pkg::ERR_CAUSE_DESC_SHAPE;
        end else if (limit_bad) begin
          cause_d = qsa_regs_pkg::ERR_CAUSE_DESC_LIMIT;
        end else begin
          err_d   = 1'b0;
          cause_d = qsa_regs_pkg::ERR_CAUSE_NONE;
        end
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= ST_IDLE;
      step_q    <= SP_VQ;
      rsv_q     <= 1'b0;
      fielda_q  <= 1'b0;
      align_q   <= 1'b0;
      cshape_q  <= 1'b0;
      first_q   <= 1'b0;
      prev_h_q  <= '0;
      prev_w_q  <= '0;
      prev_c_q  <= '0;
      cbytes_q  <= '0;
      bits3_q   <= 1'b0;
      chan_q    <= 1'b0;
      relu_q    <= 1'b0;
      pool_q    <= 1'b0;
      fc_q      <= 1'b0;
      n_q       <= '0;
      k_q       <= '0;
      r_q       <= '0;
      s_q       <= '0;
      st_q      <= '0;
      pt_q      <= '0;
      pl_q      <= '0;
      pb_q      <= '0;
      pr_q      <= '0;
      shift_q   <= '0;
      h_q       <= '0;
      w_q       <= '0;
      c_q       <= '0;
      kk_q      <= '0;
      fan_q     <= '0;
      coff_q    <= '0;
      aoff_q    <= '0;
      boff_q    <= '0;
      vcnt_q    <= '0;
      vq_q      <= '0;
      v_q       <= '0;
      kv_q      <= '0;
      kf_q      <= '0;
      words_q   <= '0;
      convh_q   <= '0;
      convw_q   <= '0;
      rb_q      <= '0;
      ob_q      <= '0;
      rowsin_q  <= '0;
      t1q_q     <= '0;
      rowsout_q <= '0;
      p1_q      <= '0;
      fcshape_q <= 1'b0;
      done_q    <= 1'b0;
      err_q     <= 1'b0;
      cause_q   <= '0;
    end else begin
      state_q   <= state_d;
      step_q    <= step_d;
      rsv_q     <= rsv_d;
      fielda_q  <= fielda_d;
      align_q   <= align_d;
      cshape_q  <= cshape_d;
      first_q   <= first_d;
      prev_h_q  <= prev_h_d;
      prev_w_q  <= prev_w_d;
      prev_c_q  <= prev_c_d;
      cbytes_q  <= cbytes_d;
      bits3_q   <= bits3_d;
      chan_q    <= chan_d;
      relu_q    <= relu_d;
      pool_q    <= pool_d;
      fc_q      <= fc_d;
      n_q       <= n_d;
      k_q       <= k_d;
      r_q       <= r_d;
      s_q       <= s_d;
      st_q      <= st_d;
      pt_q      <= pt_d;
      pl_q      <= pl_d;
      pb_q      <= pb_d;
      pr_q      <= pr_d;
      shift_q   <= shift_d;
      h_q       <= h_d;
      w_q       <= w_d;
      c_q       <= c_d;
      kk_q      <= kk_d;
      fan_q     <= fan_d;
      coff_q    <= coff_d;
      aoff_q    <= aoff_d;
      boff_q    <= boff_d;
      vcnt_q    <= vcnt_d;
      vq_q      <= vq_d;
      v_q       <= v_d;
      kv_q      <= kv_d;
      kf_q      <= kf_d;
      words_q   <= words_d;
      convh_q   <= convh_d;
      convw_q   <= convw_d;
      rb_q      <= rb_d;
      ob_q      <= ob_d;
      rowsin_q  <= rowsin_d;
      t1q_q     <= t1q_d;
      rowsout_q <= rowsout_d;
      p1_q      <= p1_d;
      fcshape_q <= fcshape_d;
      done_q    <= done_d;
      err_q     <= err_d;
      cause_q   <= cause_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Outputs
  // ---------------------------------------------------------------------------------------
  assign done_o          = done_q;
  assign err_o           = err_q;
  assign err_cause_o     = cause_q;
  assign bits3_o         = bits3_q;
  assign chanwise_o      = chan_q;
  assign relu_o          = relu_q;
  assign pool_o          = pool_q;
  assign fc_o            = fc_q;
  assign vec_len_o       = n_q;
  assign k_o             = k_q;
  assign kh_o            = r_q;
  assign kw_o            = s_q;
  assign stride_o        = st_q;
  assign pad_t_o         = pt_q;
  assign pad_l_o         = pl_q;
  assign pad_b_o         = pb_q;
  assign pad_r_o         = pr_q;
  assign shift_o         = shift_q;
  assign in_h_o          = h_q;
  assign in_w_o          = w_q;
  assign in_c_o          = c_q;
  assign out_c_o         = kk_q;
  assign fan_in_o        = fan_q;
  assign vpf_o           = VpfWidth'(v_q);
  assign conv_h_o        = convh_q;
  assign conv_w_o        = convw_q;
  assign comp_h_o        = comp_h;
  assign comp_w_o        = comp_w;
  assign out_h_o         = out_h;
  assign out_w_o         = out_w;
  assign row_bytes_o     = 32'(rb_q);
  assign out_row_bytes_o = 32'(ob_q);
  assign band_rows_o     = band_t;
  assign codes_off_o     = coff_q;
  assign alpha_off_o     = aoff_q;
  assign bias_off_o      = boff_q;
  assign vec_count_o     = vcnt_q;

endmodule
