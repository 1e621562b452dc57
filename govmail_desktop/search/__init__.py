"""Search: the one normaliser/matcher (:mod:`.fold`), the query language (:mod:`.query`),
the local index (:mod:`.index`, :mod:`.indexer`) and the engine running a query over it
(:mod:`.engine`). Pure: no Qt, no network."""
