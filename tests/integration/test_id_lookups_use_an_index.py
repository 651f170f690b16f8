"""Every hot path in the suite reads documents by ``_id`` alone. That is only cheap when the
database answers such a lookup from an index: on MongoDB always; on FerretDB v1.24's SQLite
backend only with the one-line patch scripts/ferretdb.sh applies (the stock build scans)."""


def test_find_by_id_is_an_index_search(mongo_client, db_prefix):
    db = mongo_client[db_prefix + "_probe"]
    db.things.insert_many([{"_id": "k{:04d}".format(i)} for i in range(50)])
    plan = db.command("explain", {"find": "things", "filter": {"_id": "k0049"}})
    if "ferretdbVersion" in plan.get("serverInfo", {}):
        details = " ".join(plan["queryPlanner"]["Plan"])
        assert "USING INDEX" in details and "SCAN" not in details.replace("SEARCH", ""), details
    else:  # MongoDB: the _id fast path or an index scan, never a collection scan
        assert "COLLSCAN" not in str(plan["queryPlanner"]["winningPlan"])
