#pragma once
/// @file AXI4 (64-bit data) and AXI4-Lite (32-bit data) port bundles of the co-simulation
/// models, one plain struct per direction. Field names are the AXI signal names in lower case.

#include <cstdint>

namespace qsa::sim {

/// AXI response codes (xRESP).
inline constexpr uint8_t kAxiRespOkay = 0;
inline constexpr uint8_t kAxiRespExOkay = 1;
inline constexpr uint8_t kAxiRespSlvErr = 2;
inline constexpr uint8_t kAxiRespDecErr = 3;
/// AxBURST encodings.
inline constexpr uint8_t kAxiBurstFixed = 0;
inline constexpr uint8_t kAxiBurstIncr = 1;
inline constexpr uint8_t kAxiBurstWrap = 2;

/// Bytes per beat of the AXI4 data bus modelled here (64-bit data, AxSIZE = 3).
inline constexpr int kAxiBeatBytes = 8;
inline constexpr uint8_t kAxiBeatSize = 3;

/// AXI4 master -> slave signals (IDs, AxCACHE, AxPROT, AxLOCK, AxQOS are not modelled).
struct AxiMasterOut {
  uint32_t awaddr = 0;
  uint8_t awlen = 0;    ///< beats - 1
  uint8_t awsize = 0;   ///< log2(bytes per beat)
  uint8_t awburst = 0;  ///< kAxiBurst*
  bool awvalid = false;
  uint64_t wdata = 0;  ///< byte lane i is bits [8i+7:8i]
  uint8_t wstrb = 0;
  bool wlast = false;
  bool wvalid = false;
  bool bready = false;
  uint32_t araddr = 0;
  uint8_t arlen = 0;
  uint8_t arsize = 0;
  uint8_t arburst = 0;
  bool arvalid = false;
  bool rready = false;
};

/// AXI4 slave -> master signals (BID and RID are always 0).
struct AxiSlaveOut {
  bool awready = false;
  bool wready = false;
  uint8_t bresp = 0;
  bool bvalid = false;
  bool arready = false;
  uint64_t rdata = 0;
  uint8_t rresp = 0;
  bool rlast = false;
  bool rvalid = false;
};

/// AXI4-Lite master -> slave signals (32-bit data).
struct AxiLiteMasterOut {
  uint32_t awaddr = 0;
  uint8_t awprot = 0;
  bool awvalid = false;
  uint32_t wdata = 0;
  uint8_t wstrb = 0;
  bool wvalid = false;
  bool bready = false;
  uint32_t araddr = 0;
  uint8_t arprot = 0;
  bool arvalid = false;
  bool rready = false;
};

/// AXI4-Lite slave -> master signals.
struct AxiLiteSlaveOut {
  bool awready = false;
  bool wready = false;
  uint8_t bresp = 0;
  bool bvalid = false;
  bool arready = false;
  uint32_t rdata = 0;
  uint8_t rresp = 0;
  bool rvalid = false;
};

}  // namespace qsa::sim
