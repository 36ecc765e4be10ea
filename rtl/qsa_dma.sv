// QSA DMA engine: one AXI4 master port, byte-addressed commands, in order.
//
// Command: cmd_addr_i (any byte alignment) and cmd_len_i bytes (>= 1), read or write, accepted
// with cmd_valid_i && cmd_ready_o. cmd_ready_o is high when idle, and also while a read runs
// whose bursts have all been requested (no error seen, none queued yet) for a READ command
// (cmd_write_i low): that read is queued behind the current one, its bursts are requested
// at once (within MaxReads outstanding for both) and its beats follow the current read's on
// the stream, so the DRAM latency of back-to-back reads overlaps (command queueing; at most
// one queued). Commands complete in the order accepted. Every command ends with a one-cycle
// done_o pulse; err_o, err_code_o and err_addr_o are valid with it and hold until the next
// done_o (or the next command accepted while idle). Between two reads' streams the engine
// takes no beat for one cycle: the first read's done_o cycle.
//   err_code_o  0 ERR_NONE    no error; err_addr_o = cmd_addr_i
//               1 ERR_WINDOW  [addr, addr+len) is not inside [win_base_i, win_limit_i): no AXI
//                             transaction at all; err_addr_o = cmd_addr_i
//               2 ERR_AXI     SLVERR or DECERR on R or B. No further burst is issued; the
//                             bursts already issued are completed on AXI (a read's outstanding
//                             bursts have all their beats handshaken, a write burst its B
//                             accepted). err_addr_o = address of the failing R beat, or AWADDR
//                             of the burst whose B failed (both beat-aligned). A read queued
//                             behind a failed one is abandoned too: its bursts already issued
//                             are drained and it ends with the same ERR_AXI and address.
// A command with cmd_len_i == 0 completes at once with no transaction and no error.
// win_base_i/win_limit_i are sampled with the command; the limit is exclusive.
//
// Beats: the engine moves the aligned DataWidth-bit beats that cover [addr, addr+len).
// Beat 0 is the aligned-down beat containing addr (address addr & ~(StrbWidth-1)); the last
// beat contains addr+len-1. A beat carries the bytes of its aligned address in little-endian
// lane order (byte a is in lane a % StrbWidth).
//   Read:  the beats stream out on rd_valid_o/rd_ready_i/rd_data_o, rd_last_o on the last
//          beat; the consumer extracts the bytes it asked for. Reads fetch whole beats, so a
//          window that is not beat-aligned may see up to StrbWidth-1 bytes outside it READ
//          (never written). RREADY is rd_ready_i (back-pressure reaches the slave), and
//          rd_valid_o/rd_data_o are RVALID/RDATA (combinational paths; add a register slice
//          outside if timing needs one). A beat with an error response, and every later beat
//          of that burst, is drained internally and NOT passed on; the stream then stops
//          without rd_last_o and done_o reports ERR_AXI, so the consumer must abandon the
//          command on done_o. The beats of later bursts already issued are drained too.
//   Write: the producer supplies the same full beats on wr_valid_i/wr_ready_o/wr_data_i;
//          WSTRB enables only the bytes inside [addr, addr+len) (bytes outside are ignored).
//          WVALID/WDATA are wr_valid_i/wr_data_i and wr_ready_o is WREADY (combinational), so
//          the producer must follow valid/ready rules (hold valid and data until ready). After
//          an error response the engine stops taking beats; the producer abandons the rest.
// AXI: INCR bursts of full-width beats (AxSIZE = log2(StrbWidth)) starting at beat-aligned
// addresses, at most MaxBurst beats, never crossing a 4 KiB boundary. Reads keep up to MaxReads
// bursts outstanding: the next AR goes out while earlier bursts' beats stream back (same ID, so
// they return in order), which hides the DRAM latency behind the data of a long command
// instead of paying it per burst. Writes keep one burst outstanding (address, data, response,
// then the next address). IDs are 0, AxCACHE = 4'b0011 (normal non-cacheable bufferable),
// AxPROT = 0, AxLOCK = 0, AxQOS = 0. RLAST is not needed (the engine counts beats itself: the
// R side recomputes each burst's length from its first beat and the beats left, as the AR side
// did).
// beats_rd_o/beats_wr_o pulse once per R/W handshake on AXI (error beats included), so their
// sum times StrbWidth is exactly the DRAM traffic in bytes.
//
// Requirements: DataWidth a power of two, 16..1024 bits (an AXI beat is at most 128 bytes);
// 1 <= MaxBurst <= 256; 1 <= MaxReads <= 64; LenWidth > log2(StrbWidth); AddrWidth >= 12.
module qsa_dma #(
  parameter int AddrWidth = 32,
  parameter int DataWidth = 64,
  parameter int MaxBurst = 16,
  parameter int MaxReads = 4,     // read bursts outstanding (AR accepted, last beat not yet)
  parameter int LenWidth = 24,
  parameter int IdWidth = 1,
  localparam int StrbWidth = DataWidth / 8,
  localparam int OffWidth = $clog2(StrbWidth),
  localparam int BeatAddrWidth = AddrWidth - OffWidth,
  // beats of one command: at most 2^(LenWidth-OffWidth) + 1
  localparam int BeatCntWidth = LenWidth - OffWidth + 1,
  // beats of one burst: 1..MaxBurst
  localparam int BurstWidth = $clog2(MaxBurst + 1),
  localparam int ObsWidth = $clog2(MaxReads + 1),
  localparam int PageBeats = 4096 / StrbWidth,
  localparam int PageWidth = $clog2(PageBeats),
  // wide enough for the remaining beats, MaxBurst and the beats left in the 4 KiB page
  localparam int CmpWidth = ((BeatCntWidth > 13) ? BeatCntWidth : 13) + 1,
  // wide enough for addr + len without overflow
  localparam int WinWidth = ((AddrWidth > LenWidth) ? AddrWidth : LenWidth) + 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  // command
  input  logic                 cmd_valid_i,
  output logic                 cmd_ready_o,
  input  logic                 cmd_write_i,
  input  logic [AddrWidth-1:0] cmd_addr_i,
  input  logic [LenWidth-1:0]  cmd_len_i,
  input  logic [AddrWidth-1:0] win_base_i,
  input  logic [AddrWidth-1:0] win_limit_i,

  // completion
  output logic                 done_o,
  output logic                 err_o,
  output logic [1:0]           err_code_o,
  output logic [AddrWidth-1:0] err_addr_o,
  output logic                 err_decerr_o,   // ERR_AXI: the response was DECERR (else SLVERR)

  // read data stream (to the consumer)
  output logic                 rd_valid_o,
  input  logic                 rd_ready_i,
  output logic [DataWidth-1:0] rd_data_o,
  output logic                 rd_last_o,

  // write data stream (from the producer)
  input  logic                 wr_valid_i,
  output logic                 wr_ready_o,
  input  logic [DataWidth-1:0] wr_data_i,

  // beat counters: one pulse per AXI data handshake
  output logic                 beats_rd_o,
  output logic                 beats_wr_o,

  // AXI4 master: write address
  output logic [IdWidth-1:0]   m_axi_awid_o,
  output logic [AddrWidth-1:0] m_axi_awaddr_o,
  output logic [7:0]           m_axi_awlen_o,
  output logic [2:0]           m_axi_awsize_o,
  output logic [1:0]           m_axi_awburst_o,
  output logic                 m_axi_awlock_o,
  output logic [3:0]           m_axi_awcache_o,
  output logic [2:0]           m_axi_awprot_o,
  output logic [3:0]           m_axi_awqos_o,
  output logic                 m_axi_awvalid_o,
  input  logic                 m_axi_awready_i,
  // write data
  output logic [DataWidth-1:0] m_axi_wdata_o,
  output logic [StrbWidth-1:0] m_axi_wstrb_o,
  output logic                 m_axi_wlast_o,
  output logic                 m_axi_wvalid_o,
  input  logic                 m_axi_wready_i,
  // write response
  input  logic [IdWidth-1:0]   m_axi_bid_i,
  input  logic [1:0]           m_axi_bresp_i,
  input  logic                 m_axi_bvalid_i,
  output logic                 m_axi_bready_o,
  // read address
  output logic [IdWidth-1:0]   m_axi_arid_o,
  output logic [AddrWidth-1:0] m_axi_araddr_o,
  output logic [7:0]           m_axi_arlen_o,
  output logic [2:0]           m_axi_arsize_o,
  output logic [1:0]           m_axi_arburst_o,
  output logic                 m_axi_arlock_o,
  output logic [3:0]           m_axi_arcache_o,
  output logic [2:0]           m_axi_arprot_o,
  output logic [3:0]           m_axi_arqos_o,
  output logic                 m_axi_arvalid_o,
  input  logic                 m_axi_arready_i,
  // read data
  input  logic [IdWidth-1:0]   m_axi_rid_i,
  input  logic [DataWidth-1:0] m_axi_rdata_i,
  input  logic [1:0]           m_axi_rresp_i,
  input  logic                 m_axi_rlast_i,
  input  logic                 m_axi_rvalid_i,
  output logic                 m_axi_rready_o
);

  // States
  localparam logic [2:0] ST_IDLE  = 3'd0;  // waiting for a command
  localparam logic [2:0] ST_ADDR  = 3'd1;  // AW valid (a write burst)
  localparam logic [2:0] ST_READ  = 3'd2;  // a read: ARs issued and R beats received
  localparam logic [2:0] ST_WDATA = 3'd3;  // W beats of the current burst
  localparam logic [2:0] ST_WRESP = 3'd4;  // waiting for B
  localparam logic [2:0] ST_DONE  = 3'd5;  // done_o pulse

  // Error codes
  localparam logic [1:0] ERR_NONE   = 2'd0;
  localparam logic [1:0] ERR_WINDOW = 2'd1;
  localparam logic [1:0] ERR_AXI    = 2'd2;

  localparam logic [1:0] BURST_INCR = 2'b01;
  localparam logic [3:0] CACHE_NORMAL = 4'b0011;

  // ---------------------------------------------------------------------------------------
  // State
  logic [2:0]               state_q, state_d;
  logic                     write_q, write_d;
  logic [BeatAddrWidth-1:0] beat_q, beat_d;            // next beat: to write, or to request
  logic [BeatCntWidth-1:0]  left_q, left_d;            // beats left to write, or to receive
  logic [BeatCntWidth-1:0]  req_left_q, req_left_d;    // read: beats left to request
  logic [BeatAddrWidth-1:0] r_beat_q, r_beat_d;        // read: the next R beat's beat address
  logic [ObsWidth-1:0]      obs_q, obs_d;              // read: bursts outstanding
  logic                     ar_hold_q, ar_hold_d;      // read: ARVALID high, not yet accepted
  logic [BurstWidth-1:0]    burst_left_q, burst_left_d;  // beats left in the current burst
                                                         // (a read: 0 = the next R beat starts one)
  logic [BeatAddrWidth-1:0] burst_beat_q, burst_beat_d;  // first beat of the current burst
  logic                     first_q, first_d;          // next write beat is beat 0
  logic [OffWidth-1:0]      first_off_q, first_off_d;  // lane of addr in beat 0
  logic [OffWidth-1:0]      last_off_q, last_off_d;    // lane of addr+len-1 in the last beat
  logic [1:0]               err_code_q, err_code_d;
  logic [AddrWidth-1:0]     err_addr_q, err_addr_d;
  logic                     err_dec_q, err_dec_d;
  // The queued read (accepted while the current one streams): its first beat and beats for the
  // R side, its outcome if it needs no transaction (ERR_WINDOW; or no beat), and its bursts
  // outstanding (qobs).
  logic                     q_valid_q, q_valid_d;
  logic [BeatAddrWidth-1:0] q_beat_q, q_beat_d;
  logic [BeatCntWidth-1:0]  q_beats_q, q_beats_d;
  logic [1:0]               q_err_q, q_err_d;
  logic [AddrWidth-1:0]     q_addr_q, q_addr_d;
  logic [ObsWidth-1:0]      qobs_q, qobs_d;
  logic                     ar_nx;  // the AR side works on the queued read (it has beats)

  // ---------------------------------------------------------------------------------------
  // Command decode (only meaningful while idle). Constant part-selects are continuous
  // assignments: Icarus does not support them inside always_comb sensitivity.
  logic [OffWidth-1:0]      cmd_off;       // lane of addr in beat 0
  logic [OffWidth-1:0]      cmd_len_lane;  // len mod StrbWidth
  logic [BeatAddrWidth-1:0] cmd_beat;      // beat 0
  logic [PageWidth-1:0]     beat_in_page;  // beat_q within its 4 KiB page
  logic [PageWidth-1:0]     r_in_page;     // r_beat_q within its 4 KiB page
  logic                     rresp_err;     // SLVERR 2'b10 or DECERR 2'b11
  logic                     bresp_err;

  assign cmd_off      = cmd_addr_i[OffWidth-1:0];
  assign cmd_len_lane = cmd_len_i[OffWidth-1:0];
  assign cmd_beat     = cmd_addr_i[AddrWidth-1:OffWidth];
  assign beat_in_page = beat_q[PageWidth-1:0];
  assign r_in_page    = r_beat_q[PageWidth-1:0];
  assign rresp_err    = m_axi_rresp_i[1];
  assign bresp_err    = m_axi_bresp_i[1];

  logic [WinWidth-1:0]     cmd_end;       // addr + len (exclusive)
  logic                    cmd_in_window;
  logic                    cmd_empty;
  logic [LenWidth:0]       cmd_span;      // offset of byte addr+len-1 from the start of beat 0
  logic [BeatCntWidth-1:0] cmd_beats;

  always_comb begin
    cmd_end       = WinWidth'(cmd_addr_i) + WinWidth'(cmd_len_i);
    cmd_in_window = (cmd_addr_i >= win_base_i) && (cmd_end <= WinWidth'(win_limit_i));
    cmd_empty     = (cmd_len_i == '0);
    cmd_span      = (LenWidth + 1)'(cmd_len_i) + (LenWidth + 1)'(cmd_off)
                    - (LenWidth + 1)'(1);
    cmd_beats     = BeatCntWidth'(cmd_span >> OffWidth) + BeatCntWidth'(1);
  end

  // ---------------------------------------------------------------------------------------
  // Burst length: min(beats left, MaxBurst, beats left in the 4 KiB page). The AR/AW side takes
  // it at beat_q with the beats left to request (a write: left_q, one burst at a time); the R
  // side recomputes the same length at the first beat of each burst it receives (r_beat_q,
  // left_q), since in-order bursts leave both sides at the same (beat, beats left) there.
  function automatic logic [BurstWidth-1:0] burst_len(logic [PageWidth-1:0] in_page,
                                                     logic [BeatCntWidth-1:0] left);
    logic [CmpWidth-1:0] page_left, cmp;
    page_left = CmpWidth'(PageBeats) - CmpWidth'(in_page);
    cmp = CmpWidth'(MaxBurst);
    if (page_left < cmp) cmp = page_left;
    if (CmpWidth'(left) < cmp) cmp = CmpWidth'(left);
    burst_len = BurstWidth'(cmp);
  endfunction

  logic [BurstWidth-1:0] burst_beats;   // the burst AR/AW requests now
  logic [8:0]            burst_len_m1;  // AxLEN in [7:0]; bit 8 is always 0 (MaxBurst <= 256)
  logic [BurstWidth-1:0] r_burst_left;  // beats left in the burst the next R beat belongs to

  assign burst_beats  = burst_len(beat_in_page, write_q ? left_q : req_left_q);
  assign burst_len_m1 = 9'(burst_beats) - 9'd1;
  assign r_burst_left = (burst_left_q == '0) ? burst_len(r_in_page, left_q) : burst_left_q;

  // ---------------------------------------------------------------------------------------
  // Write strobes: lanes inside [addr, addr+len) of the current beat
  logic                 beat_is_last;
  logic [StrbWidth-1:0] wstrb;

  // Two masks rather than a test per lane (fewer operations for a simulator, the same gates):
  // the first beat drops the lanes below first_off, the last the lanes above last_off.
  always_comb begin : p_wstrb
    logic                 last;
    logic [StrbWidth-1:0] lo_mask, hi_mask;
    last         = (left_q == BeatCntWidth'(1));
    lo_mask      = first_q ? ({StrbWidth{1'b1}} << first_off_q) : {StrbWidth{1'b1}};
    hi_mask      = last ? ({StrbWidth{1'b1}} >> (OffWidth'(StrbWidth - 1) - last_off_q))
                        : {StrbWidth{1'b1}};
    beat_is_last = last;
    wstrb        = lo_mask & hi_mask;
  end

  // ---------------------------------------------------------------------------------------
  // Control
  logic r_drop;    // an error was seen in this command: drain the rest internally
  logic ar_hs;
  logic r_hs;
  logic r_end;     // this R handshake is the last beat of its burst
  logic w_hs;

  // The handshake outputs, each one expression of the state and the inputs. (Written as
  // defaults overridden in the state machine below, they changed twice in every evaluation;
  // Icarus then re-ran qsa_seq's logic, which drives rd_ready_i back into this block, and the two
  // woke each other without end at the first R beat.)
  // A read requests bursts while beats are left to request, fewer than MaxReads are outstanding
  // and no error was seen; an AR once valid stays valid until accepted (ar_hold_q), even if an
  // error arrives meanwhile (its burst is then drained as well). R beats are taken only while a
  // burst is outstanding.
  logic q_accept;  // a read may be queued behind the current one now
  logic ar_on;     // the AR side may request: a read runs, or ends with a queued one behind
  logic [ObsWidth:0] obs_all;

  // A queued read with beats and no error had its bursts handed to the AR side when accepted
  // (the current one's were all requested by then).
  assign ar_nx           = q_valid_q && (q_err_q == ERR_NONE) && (q_beats_q != '0);
  assign r_drop          = (err_code_q == ERR_AXI);
  assign q_accept        = (state_q == ST_READ) && !write_q && (req_left_q == '0) && !ar_hold_q
                           && !q_valid_q && !r_drop && !cmd_write_i;
  assign cmd_ready_o     = (state_q == ST_IDLE) || q_accept;
  assign done_o          = (state_q == ST_DONE);
  assign ar_on           = !write_q && ((state_q == ST_READ) || ((state_q == ST_DONE) && ar_nx));
  assign obs_all         = (ObsWidth + 1)'(obs_q) + (ObsWidth + 1)'(qobs_q);
  assign m_axi_arvalid_o = ar_on
                           && (ar_hold_q || ((req_left_q != '0) && !r_drop
                                             && (obs_all < (ObsWidth + 1)'(MaxReads))));
  assign m_axi_awvalid_o = (state_q == ST_ADDR);
  assign rd_valid_o      = (state_q == ST_READ) && (obs_q != '0) && m_axi_rvalid_i
                           && !rresp_err && !r_drop;
  assign m_axi_rready_o  = (state_q == ST_READ) && (obs_q != '0)
                           && (rresp_err || r_drop || rd_ready_i);
  assign m_axi_wvalid_o  = (state_q == ST_WDATA) && wr_valid_i;
  assign wr_ready_o      = (state_q == ST_WDATA) && m_axi_wready_i;
  assign m_axi_bready_o  = (state_q == ST_WRESP);
  assign ar_hs           = m_axi_arvalid_o && m_axi_arready_i;
  assign r_hs            = m_axi_rvalid_i && m_axi_rready_o;
  assign r_end           = r_hs && (r_burst_left == BurstWidth'(1));
  assign w_hs            = m_axi_wvalid_o && m_axi_wready_i;

  always_comb begin
    state_d      = state_q;
    write_d      = write_q;
    beat_d       = beat_q;
    left_d       = left_q;
    req_left_d   = req_left_q;
    r_beat_d     = r_beat_q;
    obs_d        = obs_q;
    ar_hold_d    = 1'b0;
    burst_left_d = burst_left_q;
    burst_beat_d = burst_beat_q;
    first_d      = first_q;
    first_off_d  = first_off_q;
    last_off_d   = last_off_q;
    err_code_d   = err_code_q;
    err_addr_d   = err_addr_q;
    err_dec_d    = err_dec_q;
    q_valid_d    = q_valid_q;
    q_beat_d     = q_beat_q;
    q_beats_d    = q_beats_q;
    q_err_d      = q_err_q;
    q_addr_d     = q_addr_q;
    qobs_d       = qobs_q;

    // The AR side of a read (and of the read queued behind it), in ST_READ and ST_DONE
    if (ar_on) begin
      ar_hold_d = m_axi_arvalid_o && !m_axi_arready_i;
      if (ar_hs) begin
        beat_d     = beat_q + BeatAddrWidth'(burst_beats);
        req_left_d = req_left_q - BeatCntWidth'(burst_beats);
        if (ar_nx) qobs_d = qobs_q + ObsWidth'(1);
      end
    end

    // A read queued behind the current one (q_accept: the AR side is free, so it starts on it)
    if (cmd_valid_i && q_accept) begin
      q_valid_d = 1'b1;
      q_beat_d  = cmd_beat;
      q_beats_d = cmd_empty ? '0 : cmd_beats;
      q_addr_d  = cmd_addr_i;
      q_err_d   = (!cmd_empty && !cmd_in_window) ? ERR_WINDOW : ERR_NONE;
      if (!cmd_empty && cmd_in_window) begin
        beat_d     = cmd_beat;
        req_left_d = cmd_beats;
      end
    end

    case (state_q)
      ST_IDLE: begin
        if (cmd_valid_i) begin
          write_d     = cmd_write_i;
          beat_d      = cmd_beat;
          left_d      = cmd_beats;
          req_left_d  = cmd_beats;
          r_beat_d    = cmd_beat;
          obs_d       = '0;
          qobs_d      = '0;
          q_valid_d   = 1'b0;
          burst_left_d = '0;
          first_d     = 1'b1;
          first_off_d = cmd_off;
          last_off_d  = cmd_off + cmd_len_lane - OffWidth'(1);
          err_code_d  = ERR_NONE;
          err_addr_d  = cmd_addr_i;
          err_dec_d   = 1'b0;
          if (cmd_empty) begin
            state_d = ST_DONE;
          end else if (!cmd_in_window) begin
            err_code_d = ERR_WINDOW;
            state_d    = ST_DONE;
          end else begin
            state_d = cmd_write_i ? ST_ADDR : ST_READ;
          end
        end
      end

      ST_ADDR: begin
        if (m_axi_awready_i) begin
          burst_left_d = burst_beats;
          burst_beat_d = beat_q;
          state_d      = ST_WDATA;
        end
      end

      // The AR side (beat_q, req_left_q) and the R side (r_beat_q, left_q, burst_left_q) move
      // independently; obs_q counts the current read's bursts between them (qobs_q the queued
      // read's). The read ends once every beat arrived, or, after an error stopped the
      // requests, once none of its bursts is outstanding or about to be accepted.
      ST_READ: begin
        if (r_hs) begin
          r_beat_d     = r_beat_q + BeatAddrWidth'(1);
          left_d       = left_q - BeatCntWidth'(1);
          burst_left_d = r_burst_left - BurstWidth'(1);
          if (rresp_err && !r_drop) begin
            err_code_d = ERR_AXI;
            err_addr_d = {r_beat_q, OffWidth'(0)};
            err_dec_d  = m_axi_rresp_i[0];
          end
        end
        obs_d = obs_q + ObsWidth'(ar_hs && !ar_nx) - ObsWidth'(r_end);
        if ((obs_d == '0) && !(ar_hold_d && !ar_nx)
            && ((left_d == '0) || (err_code_d == ERR_AXI))) begin
          state_d = ST_DONE;
        end
      end

      ST_WDATA: begin
        if (w_hs) begin
          beat_d       = beat_q + BeatAddrWidth'(1);
          left_d       = left_q - BeatCntWidth'(1);
          burst_left_d = burst_left_q - BurstWidth'(1);
          first_d      = 1'b0;
          if (burst_left_q == BurstWidth'(1)) state_d = ST_WRESP;
        end
      end

      ST_WRESP: begin
        if (m_axi_bvalid_i) begin
          if (bresp_err) begin
            err_code_d = ERR_AXI;
            err_addr_d = {burst_beat_q, OffWidth'(0)};
            err_dec_d  = m_axi_bresp_i[0];
            state_d    = ST_DONE;
          end else if (left_q == '0) begin
            state_d = ST_DONE;
          end else begin
            state_d = ST_ADDR;
          end
        end
      end

      // done_o. A queued read becomes the current one (its bursts outstanding with it); one
      // that needs no transaction ends at once. After ERR_AXI it is abandoned: it keeps the
      // error, requests nothing more and drains what it has outstanding.
      ST_DONE: begin
        state_d = ST_IDLE;
        if (q_valid_q) begin
          q_valid_d    = 1'b0;
          r_beat_d     = q_beat_q;
          left_d       = q_beats_q;
          burst_left_d = '0;
          obs_d        = qobs_d;
          qobs_d       = '0;
          if (!r_drop) begin
            err_code_d = q_err_q;
            err_addr_d = q_addr_q;
            err_dec_d  = 1'b0;
          end
          state_d = ((q_err_q != ERR_NONE) || (q_beats_q == '0)) ? ST_DONE : ST_READ;
        end
      end

      default: begin
        state_d = ST_IDLE;
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= ST_IDLE;
      write_q      <= 1'b0;
      beat_q       <= '0;
      left_q       <= '0;
      req_left_q   <= '0;
      r_beat_q     <= '0;
      obs_q        <= '0;
      ar_hold_q    <= 1'b0;
      burst_left_q <= '0;
      burst_beat_q <= '0;
      first_q      <= 1'b0;
      first_off_q  <= '0;
      last_off_q   <= '0;
      err_code_q   <= ERR_NONE;
      err_addr_q   <= '0;
      err_dec_q    <= 1'b0;
      q_valid_q    <= 1'b0;
      q_beat_q     <= '0;
      q_beats_q    <= '0;
      q_err_q      <= ERR_NONE;
      q_addr_q     <= '0;
      qobs_q       <= '0;
    end else begin
      state_q      <= state_d;
      write_q      <= write_d;
      beat_q       <= beat_d;
      left_q       <= left_d;
      req_left_q   <= req_left_d;
      r_beat_q     <= r_beat_d;
      obs_q        <= obs_d;
      ar_hold_q    <= ar_hold_d;
      burst_left_q <= burst_left_d;
      burst_beat_q <= burst_beat_d;
      first_q      <= first_d;
      first_off_q  <= first_off_d;
      last_off_q   <= last_off_d;
      err_code_q   <= err_code_d;
      err_addr_q   <= err_addr_d;
      err_dec_q    <= err_dec_d;
      q_valid_q    <= q_valid_d;
      q_beat_q     <= q_beat_d;
      q_beats_q    <= q_beats_d;
      q_err_q      <= q_err_d;
      q_addr_q     <= q_addr_d;
      qobs_q       <= qobs_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Outputs
  assign err_o      = (err_code_q != ERR_NONE);
  assign err_code_o = err_code_q;
  assign err_addr_o = err_addr_q;
  assign err_decerr_o = err_dec_q;

  assign rd_data_o  = m_axi_rdata_i;
  assign rd_last_o  = beat_is_last;
  assign beats_rd_o = r_hs;
  assign beats_wr_o = w_hs;

  assign m_axi_awid_o    = '0;
  assign m_axi_awaddr_o  = {beat_q, OffWidth'(0)};
  assign m_axi_awlen_o   = burst_len_m1[7:0];
  assign m_axi_awsize_o  = 3'(OffWidth);
  assign m_axi_awburst_o = BURST_INCR;
  assign m_axi_awlock_o  = 1'b0;
  assign m_axi_awcache_o = CACHE_NORMAL;
  assign m_axi_awprot_o  = 3'b000;
  assign m_axi_awqos_o   = 4'b0000;

  assign m_axi_wdata_o = wr_data_i;
  assign m_axi_wstrb_o = wstrb;
  assign m_axi_wlast_o = (burst_left_q == BurstWidth'(1));

  assign m_axi_arid_o    = '0;
  assign m_axi_araddr_o  = {beat_q, OffWidth'(0)};
  assign m_axi_arlen_o   = burst_len_m1[7:0];
  assign m_axi_arsize_o  = 3'(OffWidth);
  assign m_axi_arburst_o = BURST_INCR;
  assign m_axi_arlock_o  = 1'b0;
  assign m_axi_arcache_o = CACHE_NORMAL;
  assign m_axi_arprot_o  = 3'b000;
  assign m_axi_arqos_o   = 4'b0000;

  // IDs are constant, RLAST is implied by the beat count, OKAY/EXOKAY are both success.
  logic unused_axi;
  assign unused_axi = ^{m_axi_bid_i, m_axi_rid_i, m_axi_rlast_i, burst_len_m1[8]};

endmodule
