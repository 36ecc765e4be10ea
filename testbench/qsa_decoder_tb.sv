// Self-checking testbench of qsa_decoder against the code tables of spec §1.
//
// u_dec4 (Lanes = 4): exhaustive, every combination of 3-bit codes on the four lanes (4096)
//   in both modes, so every lane sees every code next to every neighbour. In 2-bit mode the
//   upper bit of each lane's field varies too and must be ignored.
// u_dec8 (Lanes = 8, the default): the same combinations on lanes 0..3 and a scrambled copy on
//   lanes 4..7.
// Each lane's zero / neg / shift / reserved must describe the β of the table, and a reserved
// code (111, 11) must be flagged and decode as zero (neg = 0, shift = 0).
module qsa_decoder_tb;

  localparam int CodeW = qsa_pkg::CodeWidth;

  logic                bits3;
  logic [4*CodeW-1:0]  code4;
  logic [8*CodeW-1:0]  code8;
  logic [3:0]          zero4;
  logic [3:0]          neg4;
  logic [7:0]          shift4;
  logic [3:0]          rsv4;
  logic [7:0]          zero8;
  logic [7:0]          neg8;
  logic [15:0]         shift8;
  logic [7:0]          rsv8;

  qsa_decoder #(.Lanes(4)) u_dec4 (
    .bits3_i   (bits3),
    .code_i    (code4),
    .zero_o    (zero4),
    .neg_o     (neg4),
    .shift_o   (shift4),
    .reserved_o(rsv4)
  );

  qsa_decoder #(.Lanes(8)) u_dec8 (
    .bits3_i   (bits3),
    .code_i    (code8),
    .zero_o    (zero8),
    .neg_o     (neg8),
    .shift_o   (shift8),
    .reserved_o(rsv8)
  );

  int checks;

  // β of a code (spec §1); 99 stands for reserved.
  function automatic int model_beta(input logic [2:0] code, input logic three_bit);
    if (three_bit) begin
      case (code)
        3'b000:  model_beta = 0;
        3'b001:  model_beta = 1;
        3'b010:  model_beta = 2;
        3'b011:  model_beta = 4;
        3'b100:  model_beta = -1;
        3'b101:  model_beta = -2;
        3'b110:  model_beta = -4;
        default: model_beta = 99;
      endcase
    end else begin
      case (code[1:0])
        2'b00:   model_beta = 0;
        2'b01:   model_beta = 1;
        2'b10:   model_beta = -1;
        default: model_beta = 99;
      endcase
    end
  endfunction

  task automatic check_lane(input int lanes, input int lane, input logic [2:0] code,
                            input logic zero, input logic neg, input logic [1:0] shift,
                            input logic reserved);
    int beta;
    int got;
    beta = model_beta(code, bits3);
    // The β the outputs describe (99 for reserved).
    if (reserved) got = 99;
    else if (zero) got = 0;
    else got = (neg ? -1 : 1) * (1 << shift);
    if (got != beta) begin
      $fatal(1, "FAIL qsa_decoder_tb: Lanes=%0d lane %0d bits=%0d code=%b: expected beta %0d, got %0d (zero=%b neg=%b shift=%0d reserved=%b)",
             lanes, lane, bits3 ? 3 : 2, code, beta, got, zero, neg, shift, reserved);
    end
    if (reserved && (!zero || neg || shift != 2'd0)) begin
      $fatal(1, "FAIL qsa_decoder_tb: Lanes=%0d lane %0d bits=%0d code=%b: reserved code not decoded as zero",
             lanes, lane, bits3 ? 3 : 2, code);
    end
    if (shift > 2'd2) begin
      $fatal(1, "FAIL qsa_decoder_tb: Lanes=%0d lane %0d code=%b: shift %0d out of range",
             lanes, lane, code, shift);
    end
    checks++;
  endtask

  initial begin
    checks = 0;
    for (int mode = 0; mode < 2; mode++) begin
      bits3 = mode[0];
      for (int c = 0; c < (1 << (4 * CodeW)); c++) begin
        code4 = c[4*CodeW-1:0];
        code8 = {code4 ^ 12'ha5c, code4};
        #1;
        for (int l = 0; l < 4; l++) begin
          check_lane(4, l, code4[l*CodeW +: CodeW], zero4[l], neg4[l], shift4[l*2 +: 2], rsv4[l]);
        end
        for (int l = 0; l < 8; l++) begin
          check_lane(8, l, code8[l*CodeW +: CodeW], zero8[l], neg8[l], shift8[l*2 +: 2], rsv8[l]);
        end
      end
    end
    $display("PASS qsa_decoder_tb: %0d lane checks (Lanes=4 exhaustive, Lanes=8, 2- and 3-bit codes)",
             checks);
    $finish;
  end

endmodule
