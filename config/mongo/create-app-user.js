// Run once by the mongo image on an empty data directory (/docker-entrypoint-initdb.d): the
// suite's user, with readWrite on the suite's databases (<prefix>_<service>) and nothing else.
const prefix = process.env.MONGO_DB_PREFIX || "mpp";
const services = ["ticketing", "permits", "notifications", "feedback", "gateway",
                  "connector_simulated", "connector_manual", "connector_webhook"];
db.getSiblingDB("admin").createUser({
  user: process.env.MONGO_APP_USER,
  pwd: process.env.MONGO_APP_PASSWORD,
  roles: services.map((s) => ({role: "readWrite", db: prefix + "_" + s})),
});
