"""Reports for school leaders: figures, charts, PDFs and CSV exports of the call log.

`queries` (and its siblings `asset_queries`, `export_queries`) hold the SQL, `figures` the
pure arithmetic, `charts` the SVG, and one module per report puts them together into a
`model.Report` that the page, the PDF and the CSV all show the same way.
"""
