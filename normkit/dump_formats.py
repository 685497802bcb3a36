"""The kinds of dump ``normkit gazetteer import`` reads (:mod:`normkit.gazetteer.dumps` tells them
apart). Kept outside the gazetteer package so that the CLI's parser can list them without loading
the gazetteer's modules, which a run of any other command may never need."""

FORMATS = ("geonames", "postal", "settlements")  # what detect_format() tells apart, and the importers read
