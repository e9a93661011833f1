"""Reports: aggregation (pandas), the commune's DOCX report, the XLSX annex, a PNG chart."""
