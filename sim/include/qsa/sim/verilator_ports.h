#pragma once
/// @file Copies between the port bundles of axi.h and a Verilated model whose ports follow the
/// QSA naming: an AXI4 master port m_axi_<signal>_{i,o} (qsa_dma, qsa_top) and an AXI4-Lite slave
/// port s_axil_<signal>_{i,o} (qsa_axil_csr, qsa_top). Header-only templates, so this library does
/// not depend on Verilator; ports that a model lacks (IDs, AxPROT) are skipped.

#include <type_traits>

#include "qsa/sim/axi.h"

namespace qsa::sim {

namespace detail {
/// Assigns v to a Verilated port (CData/SData/IData/QData), truncating to the port's C type.
template <class Port, class V>
void SetPort(Port& port, V v) {
  port = static_cast<std::remove_cvref_t<Port>>(v);
}
}  // namespace detail

/// AxiDram's outputs onto the model's AXI4 master inputs (BID/RID 0).
template <class Top>
void ApplyAxiSlaveOut(const AxiSlaveOut& s, Top& top) {
  detail::SetPort(top.m_axi_awready_i, s.awready);
  detail::SetPort(top.m_axi_wready_i, s.wready);
  detail::SetPort(top.m_axi_bresp_i, s.bresp);
  detail::SetPort(top.m_axi_bvalid_i, s.bvalid);
  detail::SetPort(top.m_axi_arready_i, s.arready);
  detail::SetPort(top.m_axi_rdata_i, s.rdata);
  detail::SetPort(top.m_axi_rresp_i, s.rresp);
  detail::SetPort(top.m_axi_rlast_i, s.rlast);
  detail::SetPort(top.m_axi_rvalid_i, s.rvalid);
  if constexpr (requires { top.m_axi_bid_i; }) detail::SetPort(top.m_axi_bid_i, 0);
  if constexpr (requires { top.m_axi_rid_i; }) detail::SetPort(top.m_axi_rid_i, 0);
}

/// The model's AXI4 master outputs (read after eval()).
template <class Top>
AxiMasterOut SampleAxiMasterOut(const Top& top) {
  AxiMasterOut m;
  m.awaddr = static_cast<uint32_t>(top.m_axi_awaddr_o);
  m.awlen = static_cast<uint8_t>(top.m_axi_awlen_o);
  m.awsize = static_cast<uint8_t>(top.m_axi_awsize_o);
  m.awburst = static_cast<uint8_t>(top.m_axi_awburst_o);
  m.awvalid = top.m_axi_awvalid_o != 0;
  m.wdata = static_cast<uint64_t>(top.m_axi_wdata_o);
  m.wstrb = static_cast<uint8_t>(top.m_axi_wstrb_o);
  m.wlast = top.m_axi_wlast_o != 0;
  m.wvalid = top.m_axi_wvalid_o != 0;
  m.bready = top.m_axi_bready_o != 0;
  m.araddr = static_cast<uint32_t>(top.m_axi_araddr_o);
  m.arlen = static_cast<uint8_t>(top.m_axi_arlen_o);
  m.arsize = static_cast<uint8_t>(top.m_axi_arsize_o);
  m.arburst = static_cast<uint8_t>(top.m_axi_arburst_o);
  m.arvalid = top.m_axi_arvalid_o != 0;
  m.rready = top.m_axi_rready_o != 0;
  return m;
}

/// AxiLiteHost's outputs onto the model's AXI4-Lite slave inputs.
template <class Top>
void ApplyAxiLiteMasterOut(const AxiLiteMasterOut& m, Top& top) {
  detail::SetPort(top.s_axil_awaddr_i, m.awaddr);
  detail::SetPort(top.s_axil_awvalid_i, m.awvalid);
  detail::SetPort(top.s_axil_wdata_i, m.wdata);
  detail::SetPort(top.s_axil_wstrb_i, m.wstrb);
  detail::SetPort(top.s_axil_wvalid_i, m.wvalid);
  detail::SetPort(top.s_axil_bready_i, m.bready);
  detail::SetPort(top.s_axil_araddr_i, m.araddr);
  detail::SetPort(top.s_axil_arvalid_i, m.arvalid);
  detail::SetPort(top.s_axil_rready_i, m.rready);
  if constexpr (requires { top.s_axil_awprot_i; }) detail::SetPort(top.s_axil_awprot_i, m.awprot);
  if constexpr (requires { top.s_axil_arprot_i; }) detail::SetPort(top.s_axil_arprot_i, m.arprot);
}

/// The model's AXI4-Lite slave outputs (read after eval()).
template <class Top>
AxiLiteSlaveOut SampleAxiLiteSlaveOut(const Top& top) {
  AxiLiteSlaveOut s;
  s.awready = top.s_axil_awready_o != 0;
  s.wready = top.s_axil_wready_o != 0;
  s.bresp = static_cast<uint8_t>(top.s_axil_bresp_o);
  s.bvalid = top.s_axil_bvalid_o != 0;
  s.arready = top.s_axil_arready_o != 0;
  s.rdata = static_cast<uint32_t>(top.s_axil_rdata_o);
  s.rresp = static_cast<uint8_t>(top.s_axil_rresp_o);
  s.rvalid = top.s_axil_rvalid_o != 0;
  return s;
}

}  // namespace qsa::sim
