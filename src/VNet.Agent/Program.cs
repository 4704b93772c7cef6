// The whole launcher: the agent's code lives in VNet.Core (Networks/Agent/AgentMain.cs).
return VNet.Core.Networks.Agent.AgentMain.Run(args);
