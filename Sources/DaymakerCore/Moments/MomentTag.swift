/// What the little extra in a moment was: the behaviours managers teach.
public enum MomentTag: String, ClosedSet, Sendable {
    case recognition
    case empathy
    case ownership
    case goingBeyond = "going-beyond"
    case unRuiningADay = "un-ruining-a-day"
    case patience
    case followThrough = "follow-through"
}
