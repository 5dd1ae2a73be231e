namespace ContextLite.Cluster;

/// <summary>What the router knows about one node at the moment of a decision.</summary>
/// <param name="IsHealthy">True when health checks consider the node able to serve.</param>
/// <param name="ActiveRequests">Requests in flight to the node.</param>
/// <param name="LoadFactor">Load as a share of capacity, 0 (idle) to 1 (saturated) or above.</param>
public readonly record struct NodeLoad(bool IsHealthy, int ActiveRequests = 0, double LoadFactor = 0);
