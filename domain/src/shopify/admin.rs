//! Admin GraphQL: the queries the app sends and the responses it reads.
