namespace ns {}
