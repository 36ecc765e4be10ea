// The arithmetic datapath of one QSA PE (rtl/qsa_pe.sv stages 0-2), isolated for the synthesis
// comparison against the conventional int8 PE (conv_pe.sv). Not part of the accelerator.
//
// Counted: Lanes lanes (rtl/qsa_lane.sv, the module qsa_pe.sv uses: decode, shift select and
// ones' complement of the activation), the lane adder, the s1 register, the vector-sum
// register S_v, α's recoder (qsa_naf_recoder: NAF and top k, as the vector enters s2), the s2
// register (S_v and the kept digits) and one qsa_naf_mult (S_v × Q_k(α)) with its 32-bit
// accumulator, written as in qsa_pe.sv (same widths, same zero-activation gating, same operand
// isolation of the multiplier: its inputs held between the vectors that use it). qsa_pe.sv
// packs two short vectors per lane pass, so it has two lane sums and two multipliers; this is
// the datapath of one vector at a time (vectors of at least Lanes codes).
// Not counted (as in conv_pe.sv, which has no weight storage either): the code/α stores
// (qsa_mem), the prefetch slots, the zero-skip compaction that selects each lane's code and
// activation from the 64-code vector, bias, requantize, ReLU and pooling. The lanes here take
// their (code, activation) pairs directly as inputs, like conv_pe's (weight, activation) pairs.
module qsa_pe_datapath #(
  parameter  int Lanes = 8,
  parameter  int WithMult = 1,  // 0: S_v added unmultiplied (area attribution of the multiplier)
  parameter  int Serial = 0,    // 1: the digit-serial multiply (qs_mult_serial), a design point
  localparam int AW = qsa_pkg::ActWidth,
  localparam int CodeW = qsa_pkg::CodeWidth,
  localparam int SWidth = 17,
  localparam int PWidth = SWidth + 10,
  localparam int AccW = qsa_pkg::AccWidth,
  localparam int KeptW = 2 * qsa_pkg::NafDigits  // {neg, pos} kept digit masks of α
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          clr_i,
  input  logic                          valid_i,   // a group of Lanes (code, activation) pairs
  input  logic                          last_i,    // ... the vector's last group
  input  logic                          stall_i,   // Serial: hold this group (operands stay)
  input  logic [Lanes*CodeW-1:0]        code_i,    // lane l's code at [l*3 +: 3] (0 = unused)
  input  logic [Lanes*AW-1:0]           act_i,     // lane l's activation at [l*8 +: 8]
  input  logic [qsa_pkg::AlphaBits-1:0] alpha_i,   // the vector's α mantissa
  input  logic [qsa_pkg::KWidth-1:0]    k_i,
  output logic                          busy_o,    // Serial: a multiply is in progress
  output logic [AccW-1:0]               acc_o
);

  // Stage 0: lanes (rtl/qsa_lane.sv, as in qsa_pe.sv: terms offset by 512 with their +1
  // apart; a lane with no code, or a zero activation, selects nothing) and the lane sum
  localparam int TW = AW + 2;

  logic [Lanes*TW-1:0] lane_u;
  logic [Lanes-1:0]    lane_neg;

  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    logic [CodeW-1:0] code;
    logic             unused_use, unused_zero;

    assign code = valid_i ? code_i[l*CodeW +: CodeW] : '0;

    qsa_lane u_lane (
      .code_i(code),
      .act_i (act_i[l*AW +: AW]),
      .u_o   (lane_u[l*TW +: TW]),
      .neg_o (lane_neg[l]),
      .use_o (unused_use),
      .zero_o(unused_zero)
    );
  end

  logic signed [SWidth-1:0] lane_sum;
  always_comb begin
    lane_sum = -SWidth'(Lanes << (TW - 1));
    for (int l = 0; l < Lanes; l++) begin
      lane_sum = lane_sum + SWidth'(lane_u[l*TW +: TW]) + SWidth'(lane_neg[l]);
    end
  end

  // s1, stage 1 (S_v), s2
  logic                          s1_valid_q, s1_last_q, s2_valid_q, s2_mul_q;
  logic signed [SWidth-1:0]      s1_sum_q, sacc_d, sacc_q, s_final, s2_sum_d, s2_sum_q;
  logic [qsa_pkg::AlphaBits-1:0] s1_alpha_q;
  logic [KeptW-1:0]              kept, s2_kept_d, s2_kept_q;  // α's kept digit masks
  logic                          s2_valid_d, s2_mul_d;

  // As in qsa_pe.sv: α is recoded as its vector enters s2, and s2 holds the kept digits (the
  // parallel multiply only: the digit-serial unit recodes α itself).
  if (WithMult != 0 && Serial == 0) begin : g_recode
    logic [KeptW/2-1:0] naf_pos, naf_neg, kept_pos, kept_neg;
    logic               unused_digits;

    qsa_naf_recoder #(.Width(qsa_pkg::AlphaBits)) u_recode (
      .op_i      (s1_alpha_q),
      .k_i,
      .pos_o     (naf_pos),
      .neg_o     (naf_neg),
      .kept_pos_o(kept_pos),
      .kept_neg_o(kept_neg)
    );
    assign kept          = {kept_neg, kept_pos};
    assign unused_digits = ^{naf_pos, naf_neg};
  end else begin : g_no_recode
    assign kept = '0;
  end

  assign s_final = sacc_q + s1_sum_q;

  always_comb begin
    sacc_d     = sacc_q;
    s2_valid_d = 1'b0;
    s2_sum_d   = s2_sum_q;
    s2_mul_d   = s2_mul_q;
    s2_kept_d  = s2_kept_q;
    if (clr_i) begin
      sacc_d = '0;
    end else if (s1_valid_q) begin
      sacc_d = s1_last_q ? '0 : s_final;
      if (s1_last_q) begin
        s2_valid_d = 1'b1;
        s2_mul_d   = (s1_alpha_q != '0);
        if (s2_mul_d) begin  // operands held between the vectors that use the multiplier
          s2_sum_d   = s_final;
          s2_kept_d  = kept;
        end
      end
    end
  end

  // Stage 2: one multiply per vector, accumulation
  logic signed [SWidth-1:0]         mul_x;
  logic signed [PWidth-1:0]         product;
  logic [qsa_pkg::PpCountWidth-1:0] pp_count;
  logic signed [AccW-1:0]           acc_d, acc_q;
  logic                             unused_pp;

  assign mul_x = s2_sum_q;

  if (WithMult != 0 && Serial != 0) begin : g_serial
    // Digit-serial design point: S_v goes straight from stage 1 into the unit (its x register
    // takes the place of s2), which then adds one kept digit's ±(S_v << i) per cycle into the
    // accumulator ({acc, 1} + {add, cin} adds add + cin; then the unit's offset comes off).
    // The next vector's S_v must not arrive while busy_o is high: the caller holds the vector's
    // last group with stall_i (its operands stay put, so the lanes do not toggle) meanwhile.
    localparam int AddW = SWidth + qsa_pkg::NafDigits - 1;
    logic            busy, cin;
    logic [AddW-1:0] add;
    logic [AccW:0]   acc_step;
    logic            unused_s2;

    qs_mult_serial #(.XWidth(SWidth)) u_mult (
      .clk_i,
      .rst_ni,
      .load_i (s1_valid_q && s1_last_q && !clr_i),
      .x_i    (s_final),
      .alpha_i(s1_alpha_q),
      .k_i,
      .busy_o (busy),
      .add_o  (add),
      .cin_o  (cin)
    );
    assign acc_step  = {acc_q, 1'b1} + {(AccW - AddW)'(0), add, cin};
    assign acc_d     = clr_i ? '0 : (busy ? acc_step[AccW:1] - AccW'(1 << (AddW - 1)) : acc_q);
    assign busy_o    = busy;
    assign product   = '0;
    assign pp_count  = '0;
    assign unused_s2 = ^{mul_x, s2_kept_q, acc_step[0]};
  end else begin : g_parallel
    if (WithMult != 0) begin : g_mult
      qsa_naf_mult #(.XWidth(SWidth)) u_mult (
        .x_i       (mul_x),
        .kept_i    (s2_kept_q),
        .p_o       (product),
        .pp_count_o(pp_count)
      );
    end else begin : g_no_mult
      logic unused_kept;
      assign unused_kept = ^{k_i, s2_kept_q};
      assign product     = PWidth'(mul_x);
      assign pp_count = '0;
    end
    assign acc_d  = clr_i ? '0 : ((s2_valid_q && s2_mul_q) ? acc_q + AccW'(product) : acc_q);
    assign busy_o = 1'b0;
  end
  assign unused_pp = ^{pp_count, product};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s1_last_q  <= 1'b0;
      s1_sum_q   <= '0;
      s1_alpha_q <= '0;
      sacc_q     <= '0;
      s2_valid_q <= 1'b0;
      s2_sum_q   <= '0;
      s2_mul_q   <= 1'b0;
      s2_kept_q  <= '0;
      acc_q      <= '0;
    end else begin
      s1_valid_q <= valid_i && !clr_i && !stall_i;
      s1_last_q  <= last_i;
      s1_sum_q   <= lane_sum;
      s1_alpha_q <= alpha_i;
      sacc_q     <= sacc_d;
      s2_valid_q <= s2_valid_d;
      s2_sum_q   <= s2_sum_d;
      s2_mul_q   <= s2_mul_d;
      s2_kept_q  <= s2_kept_d;
      acc_q      <= acc_d;
    end
  end

  assign acc_o = acc_q;

endmodule
